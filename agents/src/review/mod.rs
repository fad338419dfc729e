//! The review agent: deterministic checks of every draft against the brief and against
//! each other, run locally (no provider). Each failed check is a [`Finding`] addressed to
//! the agent that must fix it, with a message written to be sent back to that agent.
//!
//! Reviewing never changes a draft and never calls a model; deciding what to redo (once)
//! is the supervisor's job. Findings never quote personal data they found.

pub mod luau;
mod plan;
pub mod privacy;
mod quiz;
pub mod readability;
mod script;
mod terrain;

use std::collections::BTreeSet;

use domain::{AgentName, ContentPart};
use serde::Serialize;

use crate::outputs::{LessonPlan, Quiz, Script, Terrain};
use crate::task::Brief;

pub use plan::MIN_EXPLANATION_WORDS;

/// The newest output of each agent, as reviewed together. `None`: the part was not made.
#[derive(Debug, Clone, Copy)]
pub struct Drafts<'a> {
    pub lesson: &'a LessonPlan,
    pub quiz: Option<&'a Quiz>,
    pub terrain: Option<&'a Terrain>,
    pub script: Option<&'a Script>,
}

/// One failed check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The agent that must fix it.
    pub agent: AgentName,
    /// The check's stable name, e.g. `quiz-one-correct-option`.
    pub check: &'static str,
    /// What is wrong and where, for the agent.
    pub message: String,
}

impl Finding {
    pub fn new(agent: AgentName, check: &'static str, message: impl Into<String>) -> Self {
        Self {
            agent,
            check,
            message: message.into(),
        }
    }
}

/// Everything a review found; empty when the drafts passed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Review {
    pub findings: Vec<Finding>,
}

impl Review {
    pub fn passed(&self) -> bool {
        self.findings.is_empty()
    }

    /// The agents with something to fix.
    pub fn agents_to_redo(&self) -> BTreeSet<AgentName> {
        self.findings.iter().map(|f| f.agent).collect()
    }

    /// The messages addressed to `agent`, as feedback for its next call.
    pub fn feedback_for(&self, agent: AgentName) -> Vec<String> {
        self.findings
            .iter()
            .filter(|f| f.agent == agent)
            .map(|f| format!("{}: {}", f.check, f.message))
            .collect()
    }
}

/// Every check of `drafts` against `brief`.
pub fn review(brief: &Brief, drafts: &Drafts<'_>) -> Review {
    let mut findings = Vec::new();
    findings.extend(missing_parts(brief, drafts));
    findings.extend(plan::check(brief, drafts.lesson));
    findings.extend(readability::check(brief, drafts.lesson));
    if let Some(quiz) = drafts.quiz {
        findings.extend(quiz::check(brief, quiz));
    }
    if let Some(terrain) = drafts.terrain {
        findings.extend(terrain::check(drafts.lesson, terrain));
    }
    if let Some(script) = drafts.script {
        findings.extend(script::check(script, drafts.terrain));
    }
    findings.extend(privacy::check(drafts));
    Review { findings }
}

/// A finding for each part the brief wants that has no draft.
fn missing_parts(brief: &Brief, drafts: &Drafts<'_>) -> Vec<Finding> {
    let present = [
        (ContentPart::Quiz, drafts.quiz.is_some()),
        (ContentPart::Terrain, drafts.terrain.is_some()),
        (ContentPart::Script, drafts.script.is_some()),
    ];
    present
        .into_iter()
        .filter(|&(part, present)| brief.wants(part) && !present)
        .map(|(part, _)| {
            Finding::new(
                AgentName::making(part),
                "part-missing",
                format!("the request wants a {part} but there is none"),
            )
        })
        .collect()
}

/// `text` is empty or only whitespace.
fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

#[cfg(test)]
mod tests;
