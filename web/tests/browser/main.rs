//! The web app as people meet it: headless chromium against a real server over a database
//! of the test's own, with real clicks and typing. A failing test leaves a screenshot under
//! `$CARGO_TARGET_DIR/screenshots/`.

mod admin;
mod analyst;
mod audit;
mod classes;
mod content;
mod learn;
mod lessons;
mod sessions;
mod support;
