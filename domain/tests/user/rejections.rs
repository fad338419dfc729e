use domain::{Rejection, RejectionKind, Role, UserRejection};

use crate::fixtures::parent_id;

#[test]
fn rejections_have_stable_rule_names_and_kinds() {
    let cases = [
        (
            UserRejection::AlreadyExists,
            "user-already-exists",
            RejectionKind::AlreadyExists,
        ),
        (
            UserRejection::NotFound,
            "user-not-found",
            RejectionKind::NotFound,
        ),
        (
            UserRejection::RoleUnchanged { role: Role::Admin },
            "role-unchanged",
            RejectionKind::RuleViolated,
        ),
        (
            UserRejection::AlreadyDeactivated,
            "user-already-deactivated",
            RejectionKind::RuleViolated,
        ),
        (
            UserRejection::NotDeactivated,
            "user-not-deactivated",
            RejectionKind::RuleViolated,
        ),
        (
            UserRejection::Deactivated,
            "user-deactivated",
            RejectionKind::RuleViolated,
        ),
        (
            UserRejection::NotAStudent { role: Role::Parent },
            "not-a-student",
            RejectionKind::RuleViolated,
        ),
        (
            UserRejection::ParentAlreadyLinked {
                parent_id: parent_id(),
            },
            "parent-already-linked",
            RejectionKind::RuleViolated,
        ),
    ];
    for (rejection, rule, kind) in cases {
        assert_eq!(rejection.rule(), rule);
        assert_eq!(rejection.kind(), kind);
    }
}

#[test]
fn rejection_messages_name_what_is_wrong() {
    assert_eq!(
        UserRejection::NotAStudent {
            role: Role::Teacher
        }
        .to_string(),
        "the user is a teacher, not a student"
    );
    assert_eq!(
        UserRejection::RoleUnchanged { role: Role::Admin }.to_string(),
        "the user already has the role admin"
    );
}
