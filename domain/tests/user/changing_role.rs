use domain::testing::given;
use domain::{Role, User, UserCommand, UserEvent, UserRejection};

use crate::fixtures::*;

#[test]
fn changing_the_role_records_from_and_to() {
    let user = given::<User>(history_of_a(Role::Student))
        .when(UserCommand::ChangeRole {
            role: Role::Teacher,
        })
        .then_expect_events(vec![UserEvent::UserRoleChanged {
            previous_role: Role::Student,
            role: Role::Teacher,
        }]);
    assert_eq!(user.role(), Some(Role::Teacher));
}

#[test]
fn changing_the_role_of_a_reactivated_user_is_accepted() {
    given::<User>(history_reactivated(Role::Analyst))
        .when(UserCommand::ChangeRole {
            role: Role::Auditor,
        })
        .then_expect_events(vec![UserEvent::UserRoleChanged {
            previous_role: Role::Analyst,
            role: Role::Auditor,
        }]);
}

#[test]
fn changing_the_role_to_the_current_one_is_rejected() {
    given::<User>(history_of_a(Role::Admin))
        .when(UserCommand::ChangeRole { role: Role::Admin })
        .then_expect_rejection(UserRejection::RoleUnchanged { role: Role::Admin });
}

#[test]
fn changing_the_role_of_a_deactivated_user_is_rejected() {
    given::<User>(history_deactivated(Role::Student))
        .when(UserCommand::ChangeRole {
            role: Role::Teacher,
        })
        .then_expect_rejection("user-deactivated");
}

#[test]
fn a_deactivated_user_is_reported_deactivated_even_when_the_role_is_unchanged() {
    given::<User>(history_deactivated(Role::Student))
        .when(UserCommand::ChangeRole {
            role: Role::Student,
        })
        .then_expect_rejection(UserRejection::Deactivated);
}
