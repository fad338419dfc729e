use domain::testing::{given, given_no_events};
use domain::{Role, User, UserCommand, UserRejection};

use crate::fixtures::*;

#[test]
fn registering_a_new_user_records_every_field_and_the_account_is_active() {
    let user = given::<User>(vec![])
        .when(register(Role::Teacher))
        .then_expect_events(vec![registered(Role::Teacher)]);
    assert!(user.exists());
    assert_eq!(user.id(), Some(user_id()));
    assert_eq!(user.username().map(|u| u.as_str()), Some("ada.l"));
    assert_eq!(user.email().map(|e| e.as_str()), Some("ada@example.org"));
    assert_eq!(
        user.display_name().map(|d| d.as_str()),
        Some("Ada Lovelace")
    );
    assert_eq!(user.role(), Some(Role::Teacher));
    assert!(user.is_active());
    assert_eq!(user.password_hash(), Some(&hash(HASH)));
    assert!(user.parents().is_empty());
}

#[test]
fn a_user_of_every_role_can_be_registered() {
    for role in Role::ALL {
        let user = given_no_events::<User>()
            .when(register(role))
            .then_expect_events(vec![registered(role)]);
        assert_eq!(user.role(), Some(role));
    }
}

#[test]
fn registering_a_user_that_already_exists_is_rejected() {
    given::<User>(history_of_a(Role::Student))
        .when(register(Role::Student))
        .then_expect_rejection(UserRejection::AlreadyExists);
}

#[test]
fn registering_over_a_deactivated_user_is_rejected_as_existing() {
    given::<User>(history_deactivated(Role::Parent))
        .when(register(Role::Teacher))
        .then_expect_rejection("user-already-exists");
}

#[test]
fn a_user_that_was_never_registered_does_not_exist_and_is_not_active() {
    let user = given_no_events::<User>();
    assert!(!user.state().exists());
    assert!(!user.state().is_active());
    assert_eq!(user.state().details(), None);
    assert_eq!(user.state().role(), None);
    assert!(user.state().parents().is_empty());
}

#[test]
fn every_command_but_a_registration_on_a_user_that_does_not_exist_is_rejected() {
    for command in [
        UserCommand::ChangeRole { role: Role::Admin },
        UserCommand::Deactivate,
        UserCommand::Reactivate,
        UserCommand::ChangePassword {
            password_hash: hash(NEW_HASH),
        },
        UserCommand::LinkParent {
            parent_id: parent_id(),
        },
    ] {
        given::<User>(vec![])
            .when(command)
            .then_expect_rejection(UserRejection::NotFound);
    }
}
