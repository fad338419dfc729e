use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ContentRequestEvent;
use crate::values::{
    AgentName, ContentParts, ContentRequestId, DurationMinutes, GradeLevel, LearningObjectives,
    LessonId, Subject, Theme, Title, UserId, ValueError,
};

/// Where a content request is in its life. `NotRequested` is a request that was never
/// made: its stream is empty. `Generated`, `Failed` and `Cancelled` are final.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentRequestStatus {
    /// Serialized `none`: snapshots of folded state use that name, so it stays.
    #[default]
    #[serde(rename = "none")]
    NotRequested,
    Requested,
    /// Agents are working on it: an agent step has started.
    InProgress,
    Generated,
    Failed,
    Cancelled,
}

impl ContentRequestStatus {
    pub const ALL: [ContentRequestStatus; 6] = [
        Self::NotRequested,
        Self::Requested,
        Self::InProgress,
        Self::Generated,
        Self::Failed,
        Self::Cancelled,
    ];

    /// Generated, failed or cancelled: nothing more will happen to the request.
    pub fn is_finished(self) -> bool {
        matches!(self, Self::Generated | Self::Failed | Self::Cancelled)
    }

    /// The snake_case name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotRequested => "none",
            Self::Requested => "requested",
            Self::InProgress => "in_progress",
            Self::Generated => "generated",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    /// The status named `raw` (its [`as_str`](Self::as_str)), as a read model stores it.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == raw)
            .ok_or_else(|| ValueError::UnknownContentRequestStatus {
                got: raw.chars().take(50).collect(),
            })
    }
}

impl FromStr for ContentRequestStatus {
    type Err = ValueError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

impl TryFrom<String> for ContentRequestStatus {
    type Error = ValueError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl fmt::Display for ContentRequestStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotRequested => "not requested",
            Self::InProgress => "in progress",
            other => other.as_str(),
        })
    }
}

/// A content request as its events left it.
///
/// The fields are private so that only events shape it: a request has details exactly
/// when its status is not [`ContentRequestStatus::NotRequested`]. Serde is for snapshots of folded
/// state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContentRequest {
    status: ContentRequestStatus,
    details: Option<ContentRequestDetails>,
    /// Every agent step attempt, in the order they started.
    steps: Vec<AgentStep>,
}

/// One attempt of one agent's step, as the log tells it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentStep {
    pub agent: AgentName,
    pub attempt: u32,
    pub outcome: StepOutcome,
}

/// How an attempt stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum StepOutcome {
    /// Started, neither completed nor failed (yet: its worker may have died).
    Running,
    Completed {
        output: Value,
        provider: String,
        model: String,
    },
    Failed {
        reason: String,
    },
}

/// A request that was made: what was asked for, and how it ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentRequestDetails {
    pub id: ContentRequestId,
    pub lesson_id: LessonId,
    /// The lesson's, when the request was made.
    pub title: Title,
    pub subject: Subject,
    pub grade_level: GradeLevel,
    pub objectives: LearningObjectives,
    pub duration_minutes: DurationMinutes,
    pub parts: ContentParts,
    pub theme: Option<Theme>,
    pub requested_by: UserId,
    /// Set when generated.
    pub outputs: Option<Value>,
    /// Set when failed or cancelled (a cancellation's reason may be absent).
    pub reason: Option<String>,
}

impl ContentRequest {
    pub fn status(&self) -> ContentRequestStatus {
        self.status
    }

    pub fn exists(&self) -> bool {
        self.details.is_some()
    }

    /// `None` until the request is made.
    pub fn details(&self) -> Option<&ContentRequestDetails> {
        self.details.as_ref()
    }

    pub fn id(&self) -> Option<ContentRequestId> {
        self.details.as_ref().map(|d| d.id)
    }

    pub fn lesson_id(&self) -> Option<LessonId> {
        self.details.as_ref().map(|d| d.lesson_id)
    }

    /// Every agent step attempt, in the order they started.
    pub fn steps(&self) -> &[AgentStep] {
        &self.steps
    }

    /// Attempt `attempt` of `agent`'s step, if it was started.
    pub fn step(&self, agent: AgentName, attempt: u32) -> Option<&AgentStep> {
        self.steps
            .iter()
            .find(|step| step.agent == agent && step.attempt == attempt)
    }

    /// The newest attempt of `agent`'s step, if any was started.
    pub fn latest_step(&self, agent: AgentName) -> Option<&AgentStep> {
        self.steps
            .iter()
            .filter(|step| step.agent == agent)
            .max_by_key(|step| step.attempt)
    }

    /// The agents' outputs, once generated.
    pub fn outputs(&self) -> Option<&Value> {
        self.details.as_ref().and_then(|d| d.outputs.as_ref())
    }
}

pub(super) fn evolve(mut request: ContentRequest, event: &ContentRequestEvent) -> ContentRequest {
    if let ContentRequestEvent::ContentRequested {
        request_id,
        lesson_id,
        title,
        subject,
        grade_level,
        objectives,
        duration_minutes,
        parts,
        theme,
        requested_by,
    } = event
    {
        request.status = ContentRequestStatus::Requested;
        request.details = Some(ContentRequestDetails {
            id: *request_id,
            lesson_id: *lesson_id,
            title: title.clone(),
            subject: subject.clone(),
            grade_level: *grade_level,
            objectives: objectives.clone(),
            duration_minutes: *duration_minutes,
            parts: parts.clone(),
            theme: theme.clone(),
            requested_by: *requested_by,
            outputs: None,
            reason: None,
        });
        return request;
    }
    // Every other event follows a request; a stray one has nothing to change.
    let Some(details) = request.details.as_mut() else {
        return request;
    };
    match event {
        ContentRequestEvent::ContentRequested { .. } => {}
        ContentRequestEvent::ContentRequestCancelled { reason } => {
            request.status = ContentRequestStatus::Cancelled;
            details.reason = reason.clone().map(String::from);
        }
        ContentRequestEvent::AgentStepStarted { agent, attempt } => {
            if request.status == ContentRequestStatus::Requested {
                request.status = ContentRequestStatus::InProgress;
            }
            request.steps.push(AgentStep {
                agent: *agent,
                attempt: *attempt,
                outcome: StepOutcome::Running,
            });
        }
        ContentRequestEvent::AgentStepCompleted {
            agent,
            attempt,
            output,
            provider,
            model,
            ..
        } => {
            end_step(
                &mut request.steps,
                *agent,
                *attempt,
                StepOutcome::Completed {
                    output: output.clone(),
                    provider: provider.clone(),
                    model: model.clone(),
                },
            );
        }
        ContentRequestEvent::AgentStepFailed {
            agent,
            attempt,
            reason,
            ..
        } => {
            end_step(
                &mut request.steps,
                *agent,
                *attempt,
                StepOutcome::Failed {
                    reason: reason.clone(),
                },
            );
        }
        ContentRequestEvent::ContentGenerated { outputs } => {
            request.status = ContentRequestStatus::Generated;
            details.outputs = Some(outputs.clone());
        }
        ContentRequestEvent::ContentGenerationFailed { reason } => {
            request.status = ContentRequestStatus::Failed;
            details.reason = Some(reason.clone());
        }
    }
    request
}

fn end_step(steps: &mut [AgentStep], agent: AgentName, attempt: u32, outcome: StepOutcome) {
    if let Some(step) = steps
        .iter_mut()
        .find(|step| step.agent == agent && step.attempt == attempt)
    {
        step.outcome = outcome;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_parses_from_its_name_which_is_its_json() {
        for status in ContentRequestStatus::ALL {
            assert_eq!(ContentRequestStatus::parse(status.as_str()), Ok(status));
            assert_eq!(status.as_str().parse::<ContentRequestStatus>(), Ok(status));
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
    }

    #[test]
    fn a_request_never_made_is_none_on_the_wire_and_not_requested_in_words() {
        let status = ContentRequestStatus::default();
        assert_eq!(status, ContentRequestStatus::NotRequested);
        assert_eq!(serde_json::to_value(status).unwrap(), "none");
        assert_eq!(
            serde_json::from_value::<ContentRequestStatus>("none".into()).unwrap(),
            status
        );
        assert_eq!(status.to_string(), "not requested");
    }

    #[test]
    fn an_unknown_status_is_rejected_and_named() {
        let error = ContentRequestStatus::parse("InProgress").unwrap_err();
        assert_eq!(
            error,
            ValueError::UnknownContentRequestStatus {
                got: "InProgress".into()
            }
        );
        assert_eq!(error.field(), "status");
        assert!(ContentRequestStatus::try_from("not_requested".to_owned()).is_err());
    }
}
