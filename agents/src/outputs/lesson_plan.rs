//! The content agent's output: the lesson's structure — sections with prose, key terms
//! and an activity, fitted to the brief's grade and duration. Only the shape lives here;
//! whether a plan fits its brief is the review's call.

use serde::{Deserialize, Serialize};

/// A lesson's structure. Its sections' minutes add up to `duration_minutes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonPlan {
    pub title: String,
    /// What the lesson is about, in a few sentences for the learner.
    pub summary: String,
    /// 0 (kindergarten) to 12.
    pub grade_level: u8,
    pub duration_minutes: u16,
    pub sections: Vec<Section>,
    /// How the lesson ends: a wrap-up or how learning is checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing: Option<String>,
    /// What made the plan when it was not a language model, e.g. the offline templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator: Option<String>,
}

/// One part of the lesson.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub heading: String,
    /// A few paragraphs of prose, separated by blank lines.
    pub explanation: String,
    pub key_terms: Vec<KeyTerm>,
    pub activity: Activity,
    pub minutes: u16,
    /// Indices (from 0) into the brief's objectives that this section covers.
    pub objectives: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyTerm {
    pub term: String,
    pub definition: String,
}

/// What learners do in a section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// E.g. `discussion`, `hands_on`, `writing`, `game`.
    pub kind: String,
    pub instructions: String,
    /// Part of the section's minutes.
    pub minutes: u16,
}

impl LessonPlan {
    /// The learner-facing prose: the summary, each section's explanation, the closing.
    pub fn prose(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.summary.as_str())
            .chain(self.sections.iter().map(|s| s.explanation.as_str()))
            .chain(self.closing.as_deref())
    }
}
