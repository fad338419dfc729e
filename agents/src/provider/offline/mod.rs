//! The offline template provider: deterministic generation from the brief (and, for the
//! quiz, terrain and script agents, the lesson plan), with no network and no model. It is
//! what runs by default and in tests, and what a chain falls back to.
//!
//! It is honest about what it is: it frames the teacher's goals in grade-appropriate
//! prose, teaches study vocabulary, quizzes that vocabulary and builds a matching world and
//! script — it does not know the subject, and the plan's `generator` note says so. Its
//! outputs pass the review for every valid brief; the same task always gets the same
//! answer, so feedback on a retry changes nothing (it regenerates).

mod lesson;
mod quiz;
mod script;
mod styles;
mod terrain;
mod text;

use domain::AgentName;
use futures::future::BoxFuture;
use serde::Serialize;

use super::{Completion, Provider, ProviderError};
use crate::task::Task;

/// The plan's `generator` note.
pub const GENERATOR: &str = "offline templates-v1: written from fixed templates without a \
     language model; the prose frames the lesson's goals and study vocabulary but does not \
     teach the subject itself";

const NAME: &str = "offline";
const MODEL: &str = "templates-v1";

/// Deterministic template generation: no network, no model.
#[derive(Debug, Clone, Default)]
pub struct Offline;

impl Offline {
    pub fn new() -> Self {
        Self
    }

    /// The JSON text answering `task`; the review agent is not a model task.
    pub fn answer(&self, task: &Task) -> Result<String, ProviderError> {
        let brief = &task.brief;
        let planned;
        let plan = match &task.lesson {
            Some(plan) => plan,
            None => {
                planned = lesson::plan(brief);
                &planned
            }
        };
        match task.agent {
            AgentName::Content => json(&lesson::plan(brief)),
            AgentName::Quiz => json(&quiz::quiz(brief, plan)),
            AgentName::Terrain => json(&terrain::terrain(brief, plan)),
            AgentName::Script => json(&script::script(brief, plan)),
            AgentName::Review => Err(ProviderError::Refused {
                provider: NAME.into(),
                status: 400,
                message: "the review agent runs local checks, not a model".into(),
            }),
        }
    }
}

impl Provider for Offline {
    fn name(&self) -> &str {
        NAME
    }

    fn model(&self) -> &str {
        MODEL
    }

    fn complete<'a>(&'a self, task: &'a Task) -> BoxFuture<'a, Result<Completion, ProviderError>> {
        Box::pin(async move {
            Ok(Completion {
                text: self.answer(task)?,
                provider: NAME.into(),
                model: MODEL.into(),
                usage: None,
            })
        })
    }
}

fn json(output: &impl Serialize) -> Result<String, ProviderError> {
    serde_json::to_string_pretty(output).map_err(|error| ProviderError::BadResponse {
        provider: NAME.into(),
        message: error.to_string(),
    })
}

#[cfg(test)]
mod tests;
