use domain::{LessonRejection, LessonStatus, Rejection, RejectionKind};

#[test]
fn rejections_have_stable_rule_names_and_kinds() {
    let status = LessonStatus::Draft;
    let cases = [
        (
            LessonRejection::AlreadyExists,
            "lesson-already-exists",
            RejectionKind::AlreadyExists,
        ),
        (
            LessonRejection::NotFound,
            "lesson-not-found",
            RejectionKind::NotFound,
        ),
        (
            LessonRejection::NotInDraft { status },
            "lesson-not-in-draft",
            RejectionKind::RuleViolated,
        ),
        (
            LessonRejection::NothingToRevise,
            "nothing-to-revise",
            RejectionKind::RuleViolated,
        ),
        (
            LessonRejection::NotInReview { status },
            "lesson-not-in-review",
            RejectionKind::RuleViolated,
        ),
        (
            LessonRejection::NotApproved { status },
            "lesson-not-approved",
            RejectionKind::RuleViolated,
        ),
        (
            LessonRejection::NotEditable { status },
            "lesson-not-editable",
            RejectionKind::RuleViolated,
        ),
        (
            LessonRejection::AlreadyArchived,
            "lesson-already-archived",
            RejectionKind::RuleViolated,
        ),
    ];
    for (rejection, rule, kind) in cases {
        assert_eq!(rejection.rule(), rule);
        assert_eq!(rejection.kind(), kind);
    }
}

#[test]
fn rejection_messages_name_the_current_status() {
    let rejection = LessonRejection::NotApproved {
        status: LessonStatus::InReview,
    };
    assert_eq!(
        rejection.to_string(),
        "the lesson is in review, not approved"
    );
    assert_eq!(
        LessonRejection::NotInDraft {
            status: LessonStatus::Published
        }
        .to_string(),
        "the lesson is published, not a draft"
    );
    assert_eq!(
        LessonRejection::NotEditable {
            status: LessonStatus::Approved
        }
        .to_string(),
        "the lesson is approved, neither a draft nor in review"
    );
}
