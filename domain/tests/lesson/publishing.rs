use domain::testing::given;
use domain::{Lesson, LessonCommand, LessonEvent, LessonRejection, LessonStatus};

use crate::fixtures::*;

#[test]
fn publishing_an_approved_lesson_publishes_it() {
    let lesson = given::<Lesson>(history_approved())
        .when(LessonCommand::Publish)
        .then_expect_events(vec![LessonEvent::LessonPublished]);
    assert_eq!(lesson.status(), LessonStatus::Published);
}

#[test]
fn publishing_a_lesson_that_was_not_approved_is_rejected() {
    for (history, status) in [
        (history_in_draft(), LessonStatus::Draft),
        (history_in_review(), LessonStatus::InReview),
        (history_archived(), LessonStatus::Archived),
    ] {
        given::<Lesson>(history)
            .when(LessonCommand::Publish)
            .then_expect_rejection(LessonRejection::NotApproved { status });
    }
}

#[test]
fn publishing_a_lesson_that_is_already_published_is_rejected() {
    given::<Lesson>(history_published())
        .when(LessonCommand::Publish)
        .then_expect_rejection("lesson-not-approved");
}
