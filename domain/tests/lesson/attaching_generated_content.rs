use domain::testing::given;
use domain::{
    ContentRequestId, GeneratedContent, Lesson, LessonCommand, LessonRejection, LessonStatus,
};
use serde_json::json;
use uuid::Uuid;

use crate::fixtures::*;

fn attach(request: ContentRequestId, text: &str) -> LessonCommand {
    LessonCommand::AttachGeneratedContent {
        content_request_id: request,
        content: content(json!({ "generated": text })),
    }
}

fn other_request_id() -> ContentRequestId {
    ContentRequestId::new(Uuid::from_u128(0xc2))
}

#[test]
fn attaching_generated_content_to_a_draft_keeps_it_next_to_the_authored_content() {
    let lesson = given::<Lesson>(history_in_draft())
        .when(attach(content_request_id(), "Leaves catch light."))
        .then_expect_events(vec![generated_content_attached(
            content_request_id(),
            "Leaves catch light.",
        )]);
    assert_eq!(
        lesson.generated_content(),
        Some(&GeneratedContent {
            content_request_id: content_request_id(),
            content: content(json!({ "generated": "Leaves catch light." })),
        })
    );
    assert_eq!(
        lesson.content(),
        Some(&content(json!({ "sections": [{ "heading": "Light" }] })))
    );
    assert_eq!(lesson.status(), LessonStatus::Draft);
}

#[test]
fn attaching_generated_content_to_a_lesson_in_review_is_accepted() {
    let lesson = given::<Lesson>(history_in_review())
        .when(attach(content_request_id(), "Quiz"))
        .then_expect_events(vec![generated_content_attached(
            content_request_id(),
            "Quiz",
        )]);
    assert_eq!(lesson.status(), LessonStatus::InReview);
}

#[test]
fn the_latest_attachment_replaces_the_one_before() {
    let mut history = history_in_draft();
    history.push(generated_content_attached(content_request_id(), "First"));
    let lesson = given::<Lesson>(history)
        .when(attach(other_request_id(), "Second"))
        .then_expect_events(vec![generated_content_attached(
            other_request_id(),
            "Second",
        )]);
    let generated = lesson.generated_content().unwrap();
    assert_eq!(generated.content_request_id, other_request_id());
    assert_eq!(generated.content, content(json!({ "generated": "Second" })));
}

#[test]
fn a_lesson_has_no_generated_content_until_some_is_attached() {
    assert_eq!(
        given::<Lesson>(history_published())
            .state()
            .generated_content(),
        None
    );
}

#[test]
fn attaching_generated_content_to_a_lesson_that_is_not_editable_is_rejected() {
    for (history, status) in [
        (history_approved(), LessonStatus::Approved),
        (history_published(), LessonStatus::Published),
        (history_archived(), LessonStatus::Archived),
    ] {
        given::<Lesson>(history)
            .when(attach(content_request_id(), "Too late"))
            .then_expect_rejection(LessonRejection::NotEditable { status });
    }
}

#[test]
fn attaching_generated_content_to_an_approved_lesson_names_the_rule_lesson_not_editable() {
    given::<Lesson>(history_approved())
        .when(attach(content_request_id(), "Too late"))
        .then_expect_rejection("lesson-not-editable");
}

#[test]
fn attaching_generated_content_to_a_lesson_that_does_not_exist_is_rejected() {
    given::<Lesson>(vec![])
        .when(attach(content_request_id(), "Nowhere"))
        .then_expect_rejection(LessonRejection::NotFound);
}

#[test]
fn a_snapshot_taken_before_generated_content_existed_still_loads() {
    let mut snapshot = serde_json::to_value(given::<Lesson>(history_in_draft()).state()).unwrap();
    snapshot.as_object_mut().unwrap().remove("generated");
    let lesson: Lesson = serde_json::from_value(snapshot).unwrap();
    assert_eq!(lesson.generated_content(), None);
    assert_eq!(lesson.status(), LessonStatus::Draft);
}
