//! What an agent is asked to do: the request's brief, the lesson plan the content agent
//! made (for the agents that build on it), and findings to address on a retry.

use domain::{AgentName, ContentPart, ContentRequestDetails};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::outputs::LessonPlan;

/// What the agents know of a content request: the `ContentRequested` event's fields, as
/// plain data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Brief {
    pub request_id: Uuid,
    pub lesson_id: Uuid,
    pub title: String,
    pub subject: String,
    /// 0 (kindergarten) to 12.
    pub grade_level: u8,
    pub objectives: Vec<String>,
    pub duration_minutes: u16,
    pub parts: Vec<ContentPart>,
    /// `None`: the agents choose.
    pub theme: Option<String>,
}

impl Brief {
    pub fn from_details(details: &ContentRequestDetails) -> Self {
        Self {
            request_id: details.id.as_uuid(),
            lesson_id: details.lesson_id.as_uuid(),
            title: details.title.as_str().to_owned(),
            subject: details.subject.as_str().to_owned(),
            grade_level: details.grade_level.get(),
            objectives: details.objectives.as_slice().to_vec(),
            duration_minutes: details.duration_minutes.get(),
            parts: details.parts.iter().collect(),
            theme: details.theme.as_ref().map(|t| t.as_str().to_owned()),
        }
    }

    pub fn wants(&self, part: ContentPart) -> bool {
        self.parts.contains(&part)
    }
}

/// One call of one agent.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub agent: AgentName,
    pub brief: Brief,
    /// The content agent's plan; `Some` for the quiz, terrain and script agents.
    pub lesson: Option<LessonPlan>,
    /// What to fix: a review's findings, or why the previous answer could not be parsed.
    pub feedback: Vec<String>,
}

impl Task {
    pub fn new(agent: AgentName, brief: Brief) -> Self {
        Self {
            agent,
            brief,
            lesson: None,
            feedback: Vec::new(),
        }
    }
}
