use domain::testing::given;
use domain::{Lesson, LessonCommand, LessonRejection, LessonStatus};

use crate::fixtures::*;

fn approve() -> LessonCommand {
    LessonCommand::Approve {
        reviewer: reviewer(),
    }
}

#[test]
fn approving_a_lesson_in_review_records_the_reviewer() {
    let lesson = given::<Lesson>(history_in_review())
        .when(approve())
        .then_expect_events(vec![approved()]);
    assert_eq!(lesson.status(), LessonStatus::Approved);
}

#[test]
fn approving_a_lesson_that_is_not_in_review_is_rejected() {
    for (history, status) in [
        (history_in_draft(), LessonStatus::Draft),
        (history_approved(), LessonStatus::Approved),
        (history_published(), LessonStatus::Published),
        (history_archived(), LessonStatus::Archived),
    ] {
        given::<Lesson>(history)
            .when(approve())
            .then_expect_rejection(LessonRejection::NotInReview { status });
    }
}

#[test]
fn approving_a_draft_names_the_rule_lesson_not_in_review() {
    given::<Lesson>(history_in_draft())
        .when(approve())
        .then_expect_rejection("lesson-not-in-review");
}
