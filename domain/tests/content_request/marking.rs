use domain::testing::given;
use domain::{
    ContentRequest, ContentRequestCommand, ContentRequestRejection, ContentRequestStatus,
};

use crate::fixtures::*;

fn mark_generated() -> ContentRequestCommand {
    ContentRequestCommand::MarkGenerated { outputs: outputs() }
}

fn mark_failed() -> ContentRequestCommand {
    ContentRequestCommand::MarkFailed {
        reason: "every provider is down".to_owned(),
    }
}

#[test]
fn marking_a_requested_request_generated_keeps_the_outputs() {
    let request = given::<ContentRequest>(history_requested())
        .when(mark_generated())
        .then_expect_events(vec![generated()]);
    assert_eq!(request.status(), ContentRequestStatus::Generated);
    assert_eq!(request.outputs(), Some(&outputs()));
}

#[test]
fn marking_a_requested_request_failed_keeps_the_reason() {
    let request = given::<ContentRequest>(history_requested())
        .when(mark_failed())
        .then_expect_events(vec![failed()]);
    assert_eq!(request.status(), ContentRequestStatus::Failed);
    assert_eq!(
        request.details().unwrap().reason.as_deref(),
        Some("every provider is down")
    );
}

#[test]
fn marking_a_finished_request_again_is_rejected() {
    for command in [mark_generated(), mark_failed()] {
        for (history, status) in [
            (history_generated(), ContentRequestStatus::Generated),
            (history_failed(), ContentRequestStatus::Failed),
        ] {
            given::<ContentRequest>(history)
                .when(command.clone())
                .then_expect_rejection(ContentRequestRejection::Finished { status });
        }
    }
}

#[test]
fn an_agent_finishing_after_a_cancellation_is_told_the_request_was_cancelled() {
    for command in [mark_generated(), mark_failed()] {
        given::<ContentRequest>(history_cancelled())
            .when(command)
            .then_expect_rejection("content-request-already-cancelled");
    }
}
