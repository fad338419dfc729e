use domain::testing::given;
use domain::{Lesson, LessonCommand, LessonEvent, LessonRejection, LessonStatus};
use serde_json::json;

use crate::fixtures::*;

#[test]
fn revising_the_title_of_a_draft_records_only_the_title() {
    let lesson = given::<Lesson>(history_in_draft())
        .when(revise_title("Photosynthesis, step by step"))
        .then_expect_events(vec![revised_title("Photosynthesis, step by step")]);
    assert_eq!(lesson.title(), Some(&title("Photosynthesis, step by step")));
    assert_eq!(lesson.subject(), Some(&subject("Science")));
    assert_eq!(lesson.status(), LessonStatus::Draft);
}

#[test]
fn revising_every_field_of_a_draft_records_every_field() {
    let lesson = given::<Lesson>(history_in_draft())
        .when(LessonCommand::Revise {
            title: Some(title("Cells")),
            description: Some(description("")),
            subject: Some(subject("Biology")),
            grade_level: Some(grade(8)),
            content: Some(content(json!({ "sections": [] }))),
        })
        .then_expect_events(vec![LessonEvent::LessonRevised {
            title: Some(title("Cells")),
            description: Some(description("")),
            subject: Some(subject("Biology")),
            grade_level: Some(grade(8)),
            content: Some(content(json!({ "sections": [] }))),
        }]);
    let details = lesson.details().unwrap();
    assert_eq!(details.title, title("Cells"));
    assert_eq!(details.description, description(""));
    assert_eq!(details.subject, subject("Biology"));
    assert_eq!(details.grade_level, grade(8));
    assert_eq!(details.content, content(json!({ "sections": [] })));
}

#[test]
fn a_revision_records_only_the_fields_that_actually_change() {
    given::<Lesson>(history_in_draft())
        .when(LessonCommand::Revise {
            title: Some(title("Photosynthesis")),
            description: None,
            subject: Some(subject("Science")),
            grade_level: Some(grade(9)),
            content: None,
        })
        .then_expect_events(vec![LessonEvent::LessonRevised {
            title: None,
            description: None,
            subject: None,
            grade_level: Some(grade(9)),
            content: None,
        }]);
}

#[test]
fn revising_a_draft_twice_keeps_the_latest_values() {
    let lesson = given::<Lesson>(vec![
        drafted(),
        revised_title("Second"),
        revised_title("Third"),
    ])
    .when(revise_title("Fourth"))
    .then_expect_events(vec![revised_title("Fourth")]);
    assert_eq!(lesson.title(), Some(&title("Fourth")));
}

#[test]
fn a_revision_with_no_fields_is_rejected() {
    given::<Lesson>(history_in_draft())
        .when(revise_nothing())
        .then_expect_rejection(LessonRejection::NothingToRevise);
}

#[test]
fn a_revision_that_repeats_the_current_values_is_rejected() {
    given::<Lesson>(history_in_draft())
        .when(LessonCommand::Revise {
            title: Some(title("Photosynthesis")),
            description: Some(description("How plants make food from light.")),
            subject: Some(subject("Science")),
            grade_level: Some(grade(7)),
            content: Some(content(json!({ "sections": [{ "heading": "Light" }] }))),
        })
        .then_expect_rejection("nothing-to-revise");
}

#[test]
fn revising_a_lesson_that_is_not_a_draft_is_rejected() {
    for (history, status) in [
        (history_in_review(), LessonStatus::InReview),
        (history_approved(), LessonStatus::Approved),
        (history_published(), LessonStatus::Published),
        (history_archived(), LessonStatus::Archived),
    ] {
        given::<Lesson>(history)
            .when(revise_title("Too late"))
            .then_expect_rejection(LessonRejection::NotInDraft { status });
    }
}

#[test]
fn an_empty_revision_of_a_lesson_that_is_not_a_draft_is_rejected_for_its_status() {
    given::<Lesson>(history_in_review())
        .when(revise_nothing())
        .then_expect_rejection("lesson-not-in-draft");
}
