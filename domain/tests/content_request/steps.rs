use domain::testing::given;
use domain::{
    AgentName, ContentRequest, ContentRequestCommand, ContentRequestEvent, ContentRequestRejection,
    ContentRequestStatus, StepOutcome, TokenUsage,
};
use serde_json::json;

use crate::fixtures::*;

fn start(agent: AgentName, attempt: u32) -> ContentRequestCommand {
    ContentRequestCommand::StartStep { agent, attempt }
}

fn started(agent: AgentName, attempt: u32) -> ContentRequestEvent {
    ContentRequestEvent::AgentStepStarted { agent, attempt }
}

fn complete(agent: AgentName, attempt: u32) -> ContentRequestCommand {
    ContentRequestCommand::CompleteStep {
        agent,
        attempt,
        output: json!({"items": []}),
        duration_ms: 12,
        provider: "offline".to_owned(),
        model: "templates-v1".to_owned(),
        usage: Some(TokenUsage {
            input_tokens: 10,
            output_tokens: 20,
        }),
    }
}

fn fail(agent: AgentName, attempt: u32, reason: &str) -> ContentRequestCommand {
    ContentRequestCommand::FailStep {
        agent,
        attempt,
        reason: reason.to_owned(),
        duration_ms: 7,
        provider: Some("openai".to_owned()),
    }
}

fn with(
    mut history: Vec<ContentRequestEvent>,
    more: Vec<ContentRequestEvent>,
) -> Vec<ContentRequestEvent> {
    history.extend(more);
    history
}

#[test]
fn the_first_step_puts_the_request_in_progress() {
    let request = given::<ContentRequest>(history_requested())
        .when(start(AgentName::Content, 1))
        .then_expect_events(vec![started(AgentName::Content, 1)]);
    assert_eq!(request.status(), ContentRequestStatus::InProgress);
    let step = request.latest_step(AgentName::Content).unwrap();
    assert_eq!(step.outcome, StepOutcome::Running);
}

#[test]
fn completing_a_running_step_records_its_output_provider_and_usage() {
    let request =
        given::<ContentRequest>(with(history_requested(), vec![started(AgentName::Quiz, 1)]))
            .when(complete(AgentName::Quiz, 1))
            .then_expect_events(vec![ContentRequestEvent::AgentStepCompleted {
                agent: AgentName::Quiz,
                attempt: 1,
                output: json!({"items": []}),
                duration_ms: 12,
                provider: "offline".to_owned(),
                model: "templates-v1".to_owned(),
                usage: Some(TokenUsage {
                    input_tokens: 10,
                    output_tokens: 20,
                }),
            }]);
    assert_eq!(
        request.step(AgentName::Quiz, 1).unwrap().outcome,
        StepOutcome::Completed {
            output: json!({"items": []}),
            provider: "offline".to_owned(),
            model: "templates-v1".to_owned(),
        }
    );
}

#[test]
fn a_failed_attempt_is_followed_by_the_next_one() {
    let request = given::<ContentRequest>(with(
        history_requested(),
        vec![started(AgentName::Script, 1)],
    ))
    .when(fail(AgentName::Script, 1, "503 from openai"))
    .then_expect_events(vec![ContentRequestEvent::AgentStepFailed {
        agent: AgentName::Script,
        attempt: 1,
        reason: "503 from openai".to_owned(),
        duration_ms: 7,
        provider: Some("openai".to_owned()),
    }]);
    let failed = ContentRequestEvent::AgentStepFailed {
        agent: AgentName::Script,
        attempt: 1,
        reason: "503 from openai".to_owned(),
        duration_ms: 7,
        provider: Some("openai".to_owned()),
    };
    assert!(matches!(
        request.step(AgentName::Script, 1).unwrap().outcome,
        StepOutcome::Failed { .. }
    ));
    let request = given::<ContentRequest>(with(
        history_requested(),
        vec![started(AgentName::Script, 1), failed],
    ))
    .when(start(AgentName::Script, 2))
    .then_expect_events(vec![started(AgentName::Script, 2)]);
    assert_eq!(request.latest_step(AgentName::Script).unwrap().attempt, 2);
}

#[test]
fn an_attempt_starts_once() {
    given::<ContentRequest>(with(
        history_requested(),
        vec![started(AgentName::Terrain, 1)],
    ))
    .when(start(AgentName::Terrain, 1))
    .then_expect_rejection("agent-step-already-started");
}

#[test]
fn a_step_that_never_started_cannot_end() {
    given::<ContentRequest>(history_requested())
        .when(complete(AgentName::Quiz, 1))
        .then_expect_rejection(ContentRequestRejection::StepNotRunning {
            agent: AgentName::Quiz,
            attempt: 1,
        });
}

#[test]
fn a_step_ends_once() {
    given::<ContentRequest>(with(
        history_requested(),
        vec![
            started(AgentName::Quiz, 1),
            ContentRequestEvent::AgentStepFailed {
                agent: AgentName::Quiz,
                attempt: 1,
                reason: "timeout".to_owned(),
                duration_ms: 1,
                provider: None,
            },
        ],
    ))
    .when(complete(AgentName::Quiz, 1))
    .then_expect_rejection("agent-step-not-running");
}

#[test]
fn attempt_zero_and_a_failure_without_a_reason_are_invalid() {
    given::<ContentRequest>(history_requested())
        .when(start(AgentName::Content, 0))
        .then_expect_rejection("agent-step-invalid");
    given::<ContentRequest>(with(
        history_requested(),
        vec![started(AgentName::Content, 1)],
    ))
    .when(fail(AgentName::Content, 1, "  "))
    .then_expect_rejection("agent-step-invalid");
}

#[test]
fn no_step_runs_on_a_cancelled_or_finished_request() {
    given::<ContentRequest>(history_cancelled())
        .when(start(AgentName::Content, 1))
        .then_expect_rejection(ContentRequestRejection::AlreadyCancelled);
    given::<ContentRequest>(history_generated())
        .when(start(AgentName::Content, 1))
        .then_expect_rejection("content-request-finished");
}

#[test]
fn no_step_runs_on_a_request_never_made() {
    given::<ContentRequest>(vec![])
        .when(start(AgentName::Content, 1))
        .then_expect_rejection(ContentRequestRejection::NotFound);
}
