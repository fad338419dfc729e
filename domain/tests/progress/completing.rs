use domain::testing::given;
use domain::{Progress, ProgressCommand, ProgressRejection, ProgressStatus};

use crate::fixtures::*;

fn complete(awarded: i64) -> ProgressCommand {
    ProgressCommand::Complete {
        xp_awarded: xp(awarded),
    }
}

#[test]
fn completing_a_lesson_makes_completion_full_and_awards_the_xp() {
    let progress = given::<Progress>(history_at_forty())
        .when(complete(100))
        .then_expect_events(vec![completed(100, 120)]);
    assert_eq!(progress.status(), ProgressStatus::Completed);
    assert!(progress.is_completed());
    assert_eq!(progress.completion(), completion(100));
    assert_eq!(progress.total_xp(), 120);
}

#[test]
fn completing_a_lesson_straight_after_starting_it_is_accepted() {
    given::<Progress>(history_started())
        .when(complete(0))
        .then_expect_events(vec![completed(0, 0)]);
}

#[test]
fn completing_a_lesson_twice_is_rejected_so_its_xp_is_awarded_once() {
    given::<Progress>(history_completed())
        .when(complete(100))
        .then_expect_rejection(ProgressRejection::AlreadyCompleted);
}

#[test]
fn completing_a_completed_lesson_names_the_rule_progress_already_completed() {
    given::<Progress>(history_completed())
        .when(complete(0))
        .then_expect_rejection("progress-already-completed");
}

#[test]
fn completing_a_lesson_never_started_is_rejected() {
    given::<Progress>(vec![])
        .when(complete(100))
        .then_expect_rejection("progress-not-started");
}
