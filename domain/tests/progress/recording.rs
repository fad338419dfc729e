use domain::testing::given;
use domain::{Progress, ProgressRejection, ProgressStatus};

use crate::fixtures::*;

#[test]
fn recording_progress_sets_the_completion_and_adds_the_xp() {
    let progress = given::<Progress>(history_started())
        .when(record(40, 20))
        .then_expect_events(vec![recorded(40, 20, 20)]);
    assert_eq!(progress.completion(), completion(40));
    assert_eq!(progress.total_xp(), 20);
    assert_eq!(progress.status(), ProgressStatus::InProgress);
}

#[test]
fn xp_accumulates_over_records() {
    let progress = given::<Progress>(history_at_forty())
        .when(record(70, 15))
        .then_expect_events(vec![recorded(70, 15, 35)]);
    assert_eq!(progress.total_xp(), 35);
}

#[test]
fn recording_the_same_completion_again_is_accepted() {
    given::<Progress>(history_at_forty())
        .when(record(40, 5))
        .then_expect_events(vec![recorded(40, 5, 25)]);
}

#[test]
fn recording_zero_xp_and_full_completion_is_accepted_and_does_not_complete() {
    let progress = given::<Progress>(history_at_forty())
        .when(record(100, 0))
        .then_expect_events(vec![recorded(100, 0, 20)]);
    assert_eq!(progress.status(), ProgressStatus::InProgress);
}

#[test]
fn recording_less_completion_than_before_is_rejected() {
    given::<Progress>(history_at_forty())
        .when(record(39, 5))
        .then_expect_rejection(ProgressRejection::CompletionCannotDecrease {
            current: completion(40),
            proposed: completion(39),
        });
}

#[test]
fn recording_zero_after_progress_names_the_rule_completion_cannot_decrease() {
    given::<Progress>(history_at_forty())
        .when(record(0, 0))
        .then_expect_rejection("completion-cannot-decrease");
}

#[test]
fn recording_progress_on_a_lesson_never_started_is_rejected() {
    given::<Progress>(vec![])
        .when(record(10, 1))
        .then_expect_rejection(ProgressRejection::NotStarted);
}

#[test]
fn recording_progress_after_completion_is_rejected() {
    given::<Progress>(history_completed())
        .when(record(100, 10))
        .then_expect_rejection(ProgressRejection::AlreadyCompleted);
}
