use domain::testing::given;
use domain::{
    ContentRequest, ContentRequestCommand, ContentRequestEvent, ContentRequestRejection,
    ContentRequestStatus,
};

use crate::fixtures::*;

fn cancel() -> ContentRequestCommand {
    ContentRequestCommand::Cancel {
        reason: Some(domain::Reason::parse("not needed").unwrap()),
    }
}

#[test]
fn cancelling_a_requested_request_cancels_it_with_its_reason() {
    let request = given::<ContentRequest>(history_requested())
        .when(cancel())
        .then_expect_events(vec![cancelled()]);
    assert_eq!(request.status(), ContentRequestStatus::Cancelled);
    assert_eq!(
        request.details().unwrap().reason.as_deref(),
        Some("not needed")
    );
}

#[test]
fn cancelling_without_a_reason_records_no_reason() {
    given::<ContentRequest>(history_requested())
        .when(ContentRequestCommand::Cancel { reason: None })
        .then_expect_events(vec![ContentRequestEvent::ContentRequestCancelled {
            reason: None,
        }]);
}

#[test]
fn cancelling_a_cancelled_request_is_rejected() {
    given::<ContentRequest>(history_cancelled())
        .when(cancel())
        .then_expect_rejection(ContentRequestRejection::AlreadyCancelled);
}

#[test]
fn cancelling_a_finished_request_is_rejected() {
    for (history, status) in [
        (history_generated(), ContentRequestStatus::Generated),
        (history_failed(), ContentRequestStatus::Failed),
    ] {
        given::<ContentRequest>(history)
            .when(cancel())
            .then_expect_rejection(ContentRequestRejection::Finished { status });
    }
}

#[test]
fn cancelling_a_generated_request_names_the_rule_content_request_finished() {
    given::<ContentRequest>(history_generated())
        .when(cancel())
        .then_expect_rejection("content-request-finished");
}

#[test]
fn every_command_but_a_request_on_a_request_never_made_is_rejected() {
    for command in [
        cancel(),
        ContentRequestCommand::MarkGenerated { outputs: outputs() },
        ContentRequestCommand::MarkFailed {
            reason: "x".to_owned(),
        },
    ] {
        given::<ContentRequest>(vec![])
            .when(command)
            .then_expect_rejection("content-request-not-found");
    }
}
