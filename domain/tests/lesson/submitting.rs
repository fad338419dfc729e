use domain::testing::given;
use domain::{Lesson, LessonCommand, LessonEvent, LessonRejection, LessonStatus};

use crate::fixtures::*;

#[test]
fn submitting_a_draft_for_review_puts_it_in_review() {
    let lesson = given::<Lesson>(history_in_draft())
        .when(LessonCommand::SubmitForReview)
        .then_expect_events(vec![LessonEvent::LessonSubmittedForReview]);
    assert_eq!(lesson.status(), LessonStatus::InReview);
}

#[test]
fn submitting_a_revised_draft_for_review_is_accepted() {
    given::<Lesson>(vec![drafted(), revised_title("Plants and light")])
        .when(LessonCommand::SubmitForReview)
        .then_expect_events(vec![LessonEvent::LessonSubmittedForReview]);
}

#[test]
fn submitting_a_lesson_that_is_not_a_draft_is_rejected() {
    for (history, status) in [
        (history_in_review(), LessonStatus::InReview),
        (history_approved(), LessonStatus::Approved),
        (history_published(), LessonStatus::Published),
        (history_archived(), LessonStatus::Archived),
    ] {
        given::<Lesson>(history)
            .when(LessonCommand::SubmitForReview)
            .then_expect_rejection(LessonRejection::NotInDraft { status });
    }
}
