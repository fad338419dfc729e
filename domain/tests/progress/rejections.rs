use domain::{ProgressRejection, Rejection, RejectionKind};

use crate::fixtures::completion;

#[test]
fn rejections_have_stable_rule_names_and_kinds() {
    let cases = [
        (
            ProgressRejection::AlreadyStarted,
            "progress-already-started",
            RejectionKind::AlreadyExists,
        ),
        (
            ProgressRejection::NotStarted,
            "progress-not-started",
            RejectionKind::NotFound,
        ),
        (
            ProgressRejection::AlreadyCompleted,
            "progress-already-completed",
            RejectionKind::RuleViolated,
        ),
        (
            ProgressRejection::CompletionCannotDecrease {
                current: completion(50),
                proposed: completion(10),
            },
            "completion-cannot-decrease",
            RejectionKind::RuleViolated,
        ),
        (
            ProgressRejection::StudentNotEnrolled,
            "student-not-enrolled",
            RejectionKind::RuleViolated,
        ),
        (
            ProgressRejection::ClassArchived,
            "class-archived",
            RejectionKind::RuleViolated,
        ),
        (
            ProgressRejection::LessonNotAssignedToClass,
            "lesson-not-assigned-to-class",
            RejectionKind::RuleViolated,
        ),
    ];
    for (rejection, rule, kind) in cases {
        assert_eq!(rejection.rule(), rule);
        assert_eq!(rejection.kind(), kind);
    }
}

#[test]
fn a_decreasing_completion_is_explained_with_both_values() {
    assert_eq!(
        ProgressRejection::CompletionCannotDecrease {
            current: completion(50),
            proposed: completion(10),
        }
        .to_string(),
        "completion cannot decrease from 50% to 10%"
    );
}
