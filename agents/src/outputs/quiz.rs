//! The quiz agent's output: multiple-choice items, each tied to one of the brief's
//! objectives. The shape allows mistakes (two correct options, none) so that the review
//! can name them; it does not judge them here.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quiz {
    pub items: Vec<QuizItem>,
}

/// One question. Exactly one option should be correct.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizItem {
    pub question: String,
    pub options: Vec<QuizOption>,
    /// Why the correct option is correct, shown after answering.
    pub explanation: String,
    /// Index (from 0) into the brief's objectives.
    pub objective: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizOption {
    pub text: String,
    pub correct: bool,
}
