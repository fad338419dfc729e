use domain::testing::{given, given_no_events};
use domain::{ContentPart, ContentRequest, ContentRequestRejection, ContentRequestStatus};

use crate::fixtures::*;

#[test]
fn requesting_content_records_everything_an_agent_needs() {
    let request = given_no_events::<ContentRequest>()
        .when(request(Some("rainforest")))
        .then_expect_events(vec![requested(Some("rainforest"))]);
    assert_eq!(request.status(), ContentRequestStatus::Requested);
    assert_eq!(request.id(), Some(request_id()));
    assert_eq!(request.lesson_id(), Some(lesson_id()));
    let details = request.details().unwrap();
    assert_eq!(details.title.as_str(), "Photosynthesis");
    assert_eq!(details.subject.as_str(), "Science");
    assert_eq!(details.grade_level.get(), 7);
    assert_eq!(details.objectives, objectives());
    assert_eq!(details.duration_minutes.get(), 45);
    assert!(details.parts.contains(ContentPart::Quiz));
    assert_eq!(
        details.theme.as_ref().map(|t| t.as_str()),
        Some("rainforest")
    );
    assert_eq!(details.requested_by, teacher_id());
    assert_eq!(request.outputs(), None);
}

#[test]
fn requesting_content_without_a_theme_leaves_it_to_the_agents() {
    let request = given_no_events::<ContentRequest>()
        .when(request(None))
        .then_expect_events(vec![requested(None)]);
    assert_eq!(request.details().unwrap().theme, None);
}

#[test]
fn requesting_under_an_id_that_already_has_a_request_is_rejected() {
    for history in [
        history_requested(),
        history_generated(),
        history_failed(),
        history_cancelled(),
    ] {
        given::<ContentRequest>(history)
            .when(request(None))
            .then_expect_rejection(ContentRequestRejection::AlreadyExists);
    }
}

#[test]
fn a_request_that_was_never_made_does_not_exist() {
    let request = given_no_events::<ContentRequest>();
    assert_eq!(request.state().status(), ContentRequestStatus::NotRequested);
    assert!(!request.state().exists());
    assert_eq!(request.state().details(), None);
}

#[test]
fn only_generated_failed_and_cancelled_are_final() {
    use ContentRequestStatus::*;
    for (status, finished) in [
        (NotRequested, false),
        (Requested, false),
        (InProgress, false),
        (Generated, true),
        (Failed, true),
        (Cancelled, true),
    ] {
        assert_eq!(status.is_finished(), finished, "{status}");
    }
    assert_eq!(InProgress.as_str(), "in_progress");
    assert_eq!(InProgress.to_string(), "in progress");
}
