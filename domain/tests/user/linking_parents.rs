use domain::testing::given;
use domain::{Role, User, UserCommand, UserRejection};

use crate::fixtures::*;

fn link(parent: domain::UserId) -> UserCommand {
    UserCommand::LinkParent { parent_id: parent }
}

#[test]
fn linking_a_parent_to_a_student_records_it() {
    let user = given::<User>(history_of_a(Role::Student))
        .when(link(parent_id()))
        .then_expect_events(vec![parent_linked(parent_id())]);
    assert_eq!(user.parents(), [parent_id()]);
}

#[test]
fn a_student_can_have_a_second_parent() {
    let user = given::<User>(vec![registered(Role::Student), parent_linked(parent_id())])
        .when(link(other_parent_id()))
        .then_expect_events(vec![parent_linked(other_parent_id())]);
    assert_eq!(user.parents(), [parent_id(), other_parent_id()]);
}

#[test]
fn linking_the_same_parent_twice_is_rejected() {
    given::<User>(vec![registered(Role::Student), parent_linked(parent_id())])
        .when(link(parent_id()))
        .then_expect_rejection(UserRejection::ParentAlreadyLinked {
            parent_id: parent_id(),
        });
}

#[test]
fn linking_a_parent_to_someone_who_is_not_a_student_is_rejected() {
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Student) {
        given::<User>(history_of_a(role))
            .when(link(parent_id()))
            .then_expect_rejection(UserRejection::NotAStudent { role });
    }
}

#[test]
fn linking_a_parent_to_a_former_student_is_rejected() {
    given::<User>(vec![
        registered(Role::Student),
        domain::UserEvent::UserRoleChanged {
            previous_role: Role::Student,
            role: Role::Teacher,
        },
    ])
    .when(link(parent_id()))
    .then_expect_rejection("not-a-student");
}

#[test]
fn linking_a_parent_to_a_deactivated_student_is_rejected() {
    given::<User>(history_deactivated(Role::Student))
        .when(link(parent_id()))
        .then_expect_rejection("user-deactivated");
}
