//! The chat messages an HTTP model provider sends for a task (placeholder until filled in).

use crate::task::Task;

/// A task as a system and a user message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub system: String,
    pub user: String,
}

/// The messages for `task`: what the agent is, the brief, the lesson plan when there is
/// one, the exact JSON shape to answer with, and any feedback to address.
pub fn render(task: &Task) -> Prompt {
    Prompt {
        system: format!("You are the {} agent.", task.agent),
        user: serde_json::to_string(&task.brief).unwrap_or_default(),
    }
}
