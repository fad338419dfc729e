use domain::testing::{given, given_no_events};
use domain::{Progress, ProgressId, ProgressRejection, ProgressStatus};

use crate::fixtures::*;

#[test]
fn starting_a_lesson_assigned_to_the_students_class_records_the_start() {
    let progress = given_no_events::<Progress>()
        .when(start())
        .then_expect_events(vec![started()]);
    assert_eq!(progress.status(), ProgressStatus::InProgress);
    assert!(progress.is_started());
    let details = progress.details().unwrap();
    assert_eq!(details.student_id, student_id());
    assert_eq!(details.lesson_id, lesson_id());
    assert_eq!(details.class_id, class_id());
    assert_eq!(progress.completion(), completion(0));
    assert_eq!(progress.total_xp(), 0);
}

#[test]
fn the_start_goes_to_the_one_stream_of_the_student_and_the_lesson() {
    assert_eq!(
        enrolled_with_lesson().progress_id(),
        ProgressId::for_student_lesson(student_id(), lesson_id())
    );
    assert_eq!(
        enrolled_with_lesson().progress_id().stream_id(),
        format!(
            "progress-{}",
            ProgressId::for_student_lesson(student_id(), lesson_id()).as_uuid()
        )
    );
}

#[test]
fn starting_a_lesson_that_was_started_before_is_rejected() {
    for history in [history_started(), history_at_forty(), history_completed()] {
        given::<Progress>(history)
            .when(start())
            .then_expect_rejection(ProgressRejection::AlreadyStarted);
    }
}

#[test]
fn progress_that_was_never_started_has_nothing() {
    let progress = given_no_events::<Progress>();
    assert_eq!(progress.state().status(), ProgressStatus::NotStarted);
    assert!(!progress.state().is_started());
    assert_eq!(progress.state().details(), None);
    assert_eq!(progress.state().completion(), completion(0));
    assert_eq!(progress.state().total_xp(), 0);
}
