//! One agent step: start it, ask the provider, parse the answer (feeding a parse error
//! back for another try), and record it completed or failed.

use std::time::Instant;

use domain::{AgentName, ContentRequest, ContentRequestCommand};
use uuid::Uuid;

use super::next::{Planned, latest_output};
use super::{Keys, SuperviseError, Supervisor};
use crate::outputs::{self, LessonPlan};
use crate::task::{Brief, Task};

/// Longest failure reason recorded.
const MAX_REASON_CHARS: usize = 2_000;

/// Run `planned` for the request `id` as it stood in `request`. A provider error is
/// recorded as the step's failure and returned, so the request waits before it is tried
/// again; an answer that never parses is recorded as the step's failure, and the next
/// round decides (another attempt, or the request fails).
pub(super) async fn run(
    supervisor: &Supervisor,
    id: Uuid,
    request: &ContentRequest,
    planned: Planned,
    keys: &Keys,
) -> Result<(), SuperviseError> {
    let Some(details) = request.details() else {
        return Ok(());
    };
    let Planned {
        agent,
        attempt,
        feedback,
    } = planned;
    let key = |what: &str| format!("{agent}/{attempt}/{what}");
    let start = ContentRequestCommand::StartStep { agent, attempt };
    supervisor
        .submit(id, &start, keys.context(&supervisor.actor, &key("start")))
        .await?;
    let began = Instant::now();
    let mut task = Task::new(agent, Brief::from_details(details));
    task.feedback = feedback;
    if agent != AgentName::Content {
        task.lesson = latest_output(request, AgentName::Content)
            .and_then(|plan| serde_json::from_value::<LessonPlan>(plan.clone()).ok());
    }
    let mut tries = 0;
    let outcome = loop {
        tries += 1;
        let completion = match supervisor.provider.complete(&task).await {
            Ok(completion) => completion,
            Err(error) => break Err(error),
        };
        match outputs::parse(agent, &completion.text) {
            Ok(output) => break Ok((completion, output)),
            Err(error) if tries < supervisor.output_tries => {
                tracing::debug!(%agent, attempt, tries, %error, "agent output did not parse; asking again");
                task.feedback.push(format!(
                    "Your previous answer could not be used: {error}. Answer again with JSON only, in exactly the required shape."
                ));
            }
            Err(error) => {
                record(agent, &completion.provider, "unparsable", began);
                let reason = format!(
                    "the answer of {} ({}) did not parse after {tries} tries: {error}",
                    completion.provider, completion.model
                );
                let fail = ContentRequestCommand::FailStep {
                    agent,
                    attempt,
                    reason: bounded(&reason),
                    duration_ms: elapsed_ms(began),
                    provider: Some(completion.provider),
                };
                supervisor
                    .submit(id, &fail, keys.context(&supervisor.actor, &key("fail")))
                    .await?;
                return Ok(());
            }
        }
    };
    match outcome {
        Ok((completion, output)) => {
            record(agent, &completion.provider, "completed", began);
            let complete = ContentRequestCommand::CompleteStep {
                agent,
                attempt,
                output: output.to_value(),
                duration_ms: elapsed_ms(began),
                provider: completion.provider,
                model: completion.model,
                usage: completion.usage,
            };
            supervisor
                .submit(
                    id,
                    &complete,
                    keys.context(&supervisor.actor, &key("complete")),
                )
                .await?;
            Ok(())
        }
        Err(error) => {
            record(agent, "none", "no_provider", began);
            tracing::warn!(%agent, attempt, %error, "agent step failed: no provider answered");
            let fail = ContentRequestCommand::FailStep {
                agent,
                attempt,
                reason: bounded(&error.to_string()),
                duration_ms: elapsed_ms(began),
                provider: None,
            };
            supervisor
                .submit(id, &fail, keys.context(&supervisor.actor, &key("fail")))
                .await?;
            Err(error.into())
        }
    }
}

/// The step's count and duration, by agent, provider (`none` when none answered) and
/// outcome (`completed`, `unparsable`, `no_provider`).
pub(super) fn record(agent: AgentName, provider: &str, outcome: &'static str, began: Instant) {
    let labels = [
        ("agent", agent.as_str().to_owned()),
        ("provider", provider.to_owned()),
        ("outcome", outcome.to_owned()),
    ];
    metrics::counter!(crate::metric::STEPS, &labels).increment(1);
    metrics::histogram!(crate::metric::STEP_SECONDS, &labels).record(began.elapsed().as_secs_f64());
}

pub(super) fn elapsed_ms(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// `reason`, cut to [`MAX_REASON_CHARS`].
pub(super) fn bounded(reason: &str) -> String {
    if reason.chars().count() <= MAX_REASON_CHARS {
        reason.to_owned()
    } else {
        let mut cut: String = reason.chars().take(MAX_REASON_CHARS - 1).collect();
        cut.push('…');
        cut
    }
}
