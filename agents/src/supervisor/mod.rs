//! The supervisor of one content request: it asks [`next`] what the request needs, does
//! it (runs agent steps, reviews, marks the request generated or failed, attaches the
//! content to the lesson), and asks again, until the request needs nothing more.
//!
//! Everything it does is a command with the agent role, through `commands`, with a command
//! id derived from the triggering `ContentRequested` event's id and the step (e.g.
//! `quiz/2/complete`). So a redelivered or duplicated event, or two workers on the same
//! request, record each step once and produce one `ContentGenerated`. It must not write to
//! the store in any other way, and must not keep state between calls: the log is its
//! memory.

mod keys;
pub mod next;
mod review_step;
mod step;

use std::sync::Arc;

use commands::{Actor, CommandContext, CommandError, CommandRunner};
use domain::{
    ContentRequest, ContentRequestCommand, ContentRequestId, Lesson, LessonCommand, LessonContent,
};
use eventstore::{RecordedEvent, StreamId};
use uuid::Uuid;

pub use keys::Keys;
pub use next::{Limits, Next};

use crate::provider::{Provider, ProviderError};

/// The user id agent workers act as when no other is configured: a fixed UUIDv5 of
/// `lectern-agent-worker`, so their events are recognisable in the log.
pub fn default_agent_id() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_OID, b"lectern-agent-worker")
}

/// How a request ended for this call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handled {
    /// Generated, and its content is on the lesson (or the lesson no longer takes it).
    Generated,
    /// Failed (now or before).
    Failed,
    /// Cancelled, or not a request at all: nothing to do.
    Skipped,
}

/// Why a request could not be carried forward now; worth trying again later.
#[derive(Debug, thiserror::Error)]
pub enum SuperviseError {
    #[error("no provider could run a step")]
    Provider(#[from] ProviderError),
    #[error("a command failed")]
    Command(#[from] CommandError),
    #[error("`{0}` is not a content request stream")]
    NotARequest(String),
    #[error("the pipeline did not settle after {0} rounds")]
    Unsettled(usize),
}

/// Runs content requests through the pipeline.
pub struct Supervisor {
    requests: Arc<CommandRunner<ContentRequest>>,
    lessons: Arc<CommandRunner<Lesson>>,
    provider: Arc<dyn Provider>,
    actor: Actor,
    limits: Limits,
    /// Tries per step when the model's answer does not parse (fed back each time).
    output_tries: u32,
}

/// Rounds of [`next`] one call may take; a request needs at most ~12 (content, parts,
/// review, redo, review, generate, attach, with retries), so more is a bug.
const MAX_ROUNDS: usize = 64;

impl Supervisor {
    pub fn new(
        requests: Arc<CommandRunner<ContentRequest>>,
        lessons: Arc<CommandRunner<Lesson>>,
        provider: Arc<dyn Provider>,
    ) -> Self {
        Self {
            requests,
            lessons,
            provider,
            actor: Actor {
                id: default_agent_id(),
                role: domain::Role::Agent.as_str().to_owned(),
            },
            limits: Limits::default(),
            output_tries: 3,
        }
    }

    /// Act as this service account instead of the default one.
    pub fn acting_as(mut self, agent_id: Uuid) -> Self {
        self.actor.id = agent_id;
        self
    }

    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Carry the request that `trigger` (its `ContentRequested` event) started as far as
    /// it goes: to generated, failed, or skipped. An error means "try again later"; what
    /// was recorded so far stays, and the next call continues from there.
    pub async fn handle(&self, trigger: &RecordedEvent) -> Result<Handled, SuperviseError> {
        let id = request_id(trigger)?;
        let keys = Keys::new(trigger);
        for _ in 0..MAX_ROUNDS {
            let (_, request) = self.requests.state(id).await?;
            match next::next(&request, self.limits) {
                Next::Done => {
                    return Ok(match request.status() {
                        domain::ContentRequestStatus::Failed => Handled::Failed,
                        _ => Handled::Skipped,
                    });
                }
                Next::Attach { outputs } => {
                    self.attach(&request, outputs, &keys).await?;
                    return Ok(Handled::Generated);
                }
                Next::Generate { outputs } => {
                    let command = ContentRequestCommand::MarkGenerated { outputs };
                    self.submit(id, &command, keys.context(&self.actor, "generated"))
                        .await?;
                }
                Next::Fail { reason } => {
                    tracing::info!(request = %id, %reason, "content request failed");
                    let command = ContentRequestCommand::MarkFailed { reason };
                    self.submit(id, &command, keys.context(&self.actor, "failed"))
                        .await?;
                }
                Next::Review { attempt } => {
                    review_step::run(self, id, &request, attempt, &keys).await?;
                }
                Next::Run(planned) => {
                    let runs = planned
                        .into_iter()
                        .map(|planned| step::run(self, id, &request, planned, &keys));
                    // Every step of the wave finishes (and is recorded) before a provider
                    // error sends the request back to the queue.
                    for result in futures::future::join_all(runs).await {
                        result?;
                    }
                }
            }
        }
        Err(SuperviseError::Unsettled(MAX_ROUNDS))
    }

    /// Record that the workers gave up on the request (its event was dead-lettered).
    pub async fn give_up(
        &self,
        trigger: &RecordedEvent,
        error: &str,
    ) -> Result<(), SuperviseError> {
        let id = request_id(trigger)?;
        let keys = Keys::new(trigger);
        let command = ContentRequestCommand::MarkFailed {
            reason: step::bounded(&format!("agent workers gave up: {error}")),
        };
        self.submit(id, &command, keys.context(&self.actor, "failed"))
            .await
    }

    /// Run a content request command. A rejection is not an error here: the request moved
    /// on (cancelled, finished, a step another worker ended) and the next round of
    /// [`next`] sees how.
    async fn submit(
        &self,
        id: Uuid,
        command: &ContentRequestCommand,
        ctx: CommandContext,
    ) -> Result<(), SuperviseError> {
        match self.requests.execute(id, command, &ctx).await {
            Ok(_) => Ok(()),
            Err(CommandError::Rejected(rejection)) => {
                tracing::debug!(request = %id, rule = rejection.rule(), "agent command refused");
                Ok(())
            }
            Err(error) => Err(error.into()),
        }
    }

    async fn attach(
        &self,
        request: &ContentRequest,
        outputs: serde_json::Value,
        keys: &Keys,
    ) -> Result<(), SuperviseError> {
        let (Some(request_id), Some(lesson_id)) = (request.id(), request.lesson_id()) else {
            return Ok(());
        };
        let content = match LessonContent::parse(outputs) {
            Ok(content) => content,
            Err(error) => {
                tracing::warn!(request = %request_id, %error, "generated content cannot go on the lesson");
                return Ok(());
            }
        };
        let command = LessonCommand::AttachGeneratedContent {
            content_request_id: request_id,
            content,
        };
        let ctx = keys.context(&self.actor, "attach");
        match self
            .lessons
            .execute(lesson_id.as_uuid(), &command, &ctx)
            .await
        {
            Ok(_) => Ok(()),
            Err(CommandError::Rejected(rejection)) => {
                // The lesson moved on (published, archived) while the agents worked: the
                // lesson's own rule, and the content stays on the request.
                tracing::info!(request = %request_id, lesson = %lesson_id, rule = rejection.rule(), "generated content not attached");
                Ok(())
            }
            Err(error) => Err(error.into()),
        }
    }
}

fn request_id(trigger: &RecordedEvent) -> Result<Uuid, SuperviseError> {
    let stream = StreamId::parse(&trigger.stream_id)
        .map_err(|_| SuperviseError::NotARequest(trigger.stream_id.clone()))?;
    if stream.category() != <ContentRequest as domain::Aggregate>::CATEGORY {
        return Err(SuperviseError::NotARequest(trigger.stream_id.clone()));
    }
    // Checked above: a content request id is the stream's uuid.
    let _ = ContentRequestId::new(stream.id());
    Ok(stream.id())
}
