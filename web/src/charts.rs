//! Charts as inline SVG, drawn on the server: bars and lines with their axes, labels and
//! a text alternative, for the teacher's analytics and the analyst's screens. No script,
//! no chart library; the numbers come from the read models, never from here.
