//! What the agents make — the lesson plan, quiz, terrain and script — and how a model's
//! text becomes one: find the JSON, deserialize it with the exact path of any mistake,
//! check the structure (the terrain's JSON Schema, nothing required left empty).
//!
//! Parsing does not judge content against the brief (one correct option, objectives
//! covered, reading level…): that is [`crate::review`]'s job, so that its findings can be
//! sent to the agent that must fix them.

mod error;
mod extract;
mod lesson_plan;
mod quiz;
mod script;
pub mod stations;
pub mod terrain;

use domain::AgentName;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use error::OutputError;
pub use lesson_plan::{Activity, KeyTerm, LessonPlan, Section};
pub use quiz::{Quiz, QuizItem, QuizOption};
pub use script::{Script, ScriptLanguage};
pub use stations::{PlannedStation, planned_stations};
pub use terrain::{Biome, Point, Size, Station, StationKind, Terrain, Zone};

/// One agent's output.
#[derive(Debug, Clone, PartialEq)]
pub enum AgentOutput {
    Content(LessonPlan),
    Quiz(Quiz),
    Terrain(Terrain),
    Script(Script),
}

impl AgentOutput {
    /// The agent that makes this output.
    pub fn agent(&self) -> AgentName {
        match self {
            Self::Content(_) => AgentName::Content,
            Self::Quiz(_) => AgentName::Quiz,
            Self::Terrain(_) => AgentName::Terrain,
            Self::Script(_) => AgentName::Script,
        }
    }

    /// The output as JSON, in the shape the agent answered with.
    pub fn to_value(&self) -> Value {
        let value = match self {
            Self::Content(plan) => serde_json::to_value(plan),
            Self::Quiz(quiz) => serde_json::to_value(quiz),
            Self::Terrain(terrain) => serde_json::to_value(terrain),
            Self::Script(script) => serde_json::to_value(script),
        };
        value.expect("outputs have string keys and finite numbers")
    }
}

/// `agent`'s output from a model's `text`: the JSON object in it (fences and surrounding
/// prose are tolerated), in the agent's shape, structurally sound.
pub fn parse(agent: AgentName, text: &str) -> Result<AgentOutput, OutputError> {
    if agent == AgentName::Review {
        return Err(OutputError::NoOutput { agent });
    }
    let value = extract::json_object(text)?;
    match agent {
        AgentName::Content => {
            let plan: LessonPlan = shaped(value)?;
            require(&[(plan.sections.is_empty(), "`sections` must not be empty")])?;
            Ok(AgentOutput::Content(plan))
        }
        AgentName::Quiz => {
            let quiz: Quiz = shaped(value)?;
            require(&[(quiz.items.is_empty(), "`items` must not be empty")])?;
            Ok(AgentOutput::Quiz(quiz))
        }
        AgentName::Terrain => {
            let violations = terrain::schema_violations(&value);
            if !violations.is_empty() {
                return Err(OutputError::Schema { violations });
            }
            Ok(AgentOutput::Terrain(shaped(value)?))
        }
        AgentName::Script => {
            let script: Script = shaped(value)?;
            require(&[
                (
                    script.source.trim().is_empty(),
                    "`source` must not be empty",
                ),
                (script.stations.is_empty(), "`stations` must not be empty"),
            ])?;
            Ok(AgentOutput::Script(script))
        }
        AgentName::Review => unreachable!("refused above"),
    }
}

/// `value` as a `T`, or where and why it is not one.
fn shaped<T: DeserializeOwned>(value: Value) -> Result<T, OutputError> {
    serde_path_to_error::deserialize(value).map_err(|error| OutputError::Shape {
        path: error.path().to_string(),
        message: error.into_inner().to_string(),
    })
}

/// `Ok` unless one of the `(failed, problem)` pairs failed.
fn require(checks: &[(bool, &str)]) -> Result<(), OutputError> {
    let problems: Vec<String> = checks
        .iter()
        .filter(|(failed, _)| *failed)
        .map(|(_, problem)| (*problem).to_owned())
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(OutputError::Invalid { problems })
    }
}

#[cfg(test)]
mod tests;
