use super::{
    ContentRequest, ContentRequestCommand, ContentRequestDetails, ContentRequestEvent,
    ContentRequestRejection, ContentRequestStatus, StepOutcome,
};
use crate::values::AgentName;

pub(super) fn decide(
    request: &ContentRequest,
    command: &ContentRequestCommand,
) -> Result<Vec<ContentRequestEvent>, ContentRequestRejection> {
    let event = match command {
        ContentRequestCommand::Request {
            request_id,
            lesson,
            requested_by,
            objectives,
            duration_minutes,
            parts,
            theme,
        } => {
            require(!request.exists(), ContentRequestRejection::AlreadyExists)?;
            ContentRequestEvent::ContentRequested {
                request_id: *request_id,
                lesson_id: lesson.id(),
                title: lesson.title().clone(),
                subject: lesson.subject().clone(),
                grade_level: lesson.grade_level(),
                objectives: objectives.clone(),
                duration_minutes: *duration_minutes,
                parts: parts.clone(),
                theme: theme.clone(),
                requested_by: *requested_by,
            }
        }
        ContentRequestCommand::Cancel { reason } => {
            unfinished(request)?;
            ContentRequestEvent::ContentRequestCancelled {
                reason: reason.clone(),
            }
        }
        ContentRequestCommand::StartStep { agent, attempt } => {
            unfinished(request)?;
            require(
                *attempt >= 1,
                ContentRequestRejection::StepInvalid {
                    why: "attempts start at 1",
                },
            )?;
            require(
                request.step(*agent, *attempt).is_none(),
                ContentRequestRejection::StepAlreadyStarted {
                    agent: *agent,
                    attempt: *attempt,
                },
            )?;
            ContentRequestEvent::AgentStepStarted {
                agent: *agent,
                attempt: *attempt,
            }
        }
        ContentRequestCommand::CompleteStep {
            agent,
            attempt,
            output,
            duration_ms,
            provider,
            model,
            usage,
        } => {
            running(request, *agent, *attempt)?;
            ContentRequestEvent::AgentStepCompleted {
                agent: *agent,
                attempt: *attempt,
                output: output.clone(),
                duration_ms: *duration_ms,
                provider: provider.clone(),
                model: model.clone(),
                usage: *usage,
            }
        }
        ContentRequestCommand::FailStep {
            agent,
            attempt,
            reason,
            duration_ms,
            provider,
        } => {
            running(request, *agent, *attempt)?;
            require(
                !reason.trim().is_empty(),
                ContentRequestRejection::StepInvalid {
                    why: "a failed step needs a reason",
                },
            )?;
            ContentRequestEvent::AgentStepFailed {
                agent: *agent,
                attempt: *attempt,
                reason: reason.clone(),
                duration_ms: *duration_ms,
                provider: provider.clone(),
            }
        }
        ContentRequestCommand::MarkGenerated { outputs } => {
            unfinished(request)?;
            ContentRequestEvent::ContentGenerated {
                outputs: outputs.clone(),
            }
        }
        ContentRequestCommand::MarkFailed { reason } => {
            unfinished(request)?;
            ContentRequestEvent::ContentGenerationFailed {
                reason: reason.clone(),
            }
        }
    };
    Ok(vec![event])
}

/// Every command but a request needs one that was made and is still requested or in
/// progress. A cancelled request gets its own rule, so an agent that finishes after a
/// cancellation learns why its result was refused.
fn unfinished(request: &ContentRequest) -> Result<&ContentRequestDetails, ContentRequestRejection> {
    let details = request.details().ok_or(ContentRequestRejection::NotFound)?;
    match request.status() {
        ContentRequestStatus::Cancelled => Err(ContentRequestRejection::AlreadyCancelled),
        status if status.is_finished() => Err(ContentRequestRejection::Finished { status }),
        _ => Ok(details),
    }
}

/// The attempt was started and has not ended, on an unfinished request.
fn running(
    request: &ContentRequest,
    agent: AgentName,
    attempt: u32,
) -> Result<(), ContentRequestRejection> {
    unfinished(request)?;
    match request.step(agent, attempt) {
        Some(step) if matches!(step.outcome, StepOutcome::Running) => Ok(()),
        _ => Err(ContentRequestRejection::StepNotRunning { agent, attempt }),
    }
}

fn require(
    rule_holds: bool,
    otherwise: ContentRequestRejection,
) -> Result<(), ContentRequestRejection> {
    if rule_holds { Ok(()) } else { Err(otherwise) }
}
