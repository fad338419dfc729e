use domain::{
    ContentRequestRejection, ContentRequestStatus, LessonStatus, Rejection, RejectionKind,
};

#[test]
fn rejections_have_stable_rule_names_and_kinds() {
    let cases = [
        (
            ContentRequestRejection::AlreadyExists,
            "content-request-already-exists",
            RejectionKind::AlreadyExists,
        ),
        (
            ContentRequestRejection::NotFound,
            "content-request-not-found",
            RejectionKind::NotFound,
        ),
        (
            ContentRequestRejection::AlreadyCancelled,
            "content-request-already-cancelled",
            RejectionKind::RuleViolated,
        ),
        (
            ContentRequestRejection::Finished {
                status: ContentRequestStatus::Generated,
            },
            "content-request-finished",
            RejectionKind::RuleViolated,
        ),
        (
            ContentRequestRejection::LessonNotFound,
            "lesson-not-found",
            RejectionKind::NotFound,
        ),
        (
            ContentRequestRejection::LessonNotEditable {
                status: LessonStatus::Published,
            },
            "lesson-not-editable",
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
    assert_eq!(
        ContentRequestRejection::Finished {
            status: ContentRequestStatus::Failed
        }
        .to_string(),
        "the content request is already failed"
    );
    assert_eq!(
        ContentRequestRejection::LessonNotEditable {
            status: LessonStatus::Published
        }
        .to_string(),
        "the lesson is published, neither a draft nor in review"
    );
}
