use domain::testing::given;
use domain::{Role, User, UserCommand, UserEvent, UserRejection};

use crate::fixtures::*;

#[test]
fn deactivating_an_active_user_makes_it_inactive() {
    let user = given::<User>(history_of_a(Role::Teacher))
        .when(UserCommand::Deactivate)
        .then_expect_events(vec![UserEvent::UserDeactivated]);
    assert!(!user.is_active());
    assert!(user.exists());
    assert_eq!(user.role(), Some(Role::Teacher));
}

#[test]
fn deactivating_a_deactivated_user_is_rejected() {
    given::<User>(history_deactivated(Role::Teacher))
        .when(UserCommand::Deactivate)
        .then_expect_rejection(UserRejection::AlreadyDeactivated);
}

#[test]
fn reactivating_a_deactivated_user_makes_it_active_again() {
    let user = given::<User>(history_deactivated(Role::Parent))
        .when(UserCommand::Reactivate)
        .then_expect_events(vec![UserEvent::UserReactivated]);
    assert!(user.is_active());
}

#[test]
fn reactivating_an_active_user_is_rejected() {
    for history in [
        history_of_a(Role::Parent),
        history_reactivated(Role::Parent),
    ] {
        given::<User>(history)
            .when(UserCommand::Reactivate)
            .then_expect_rejection("user-not-deactivated");
    }
}

#[test]
fn a_reactivated_user_can_be_deactivated_again() {
    given::<User>(history_reactivated(Role::Agent))
        .when(UserCommand::Deactivate)
        .then_expect_events(vec![UserEvent::UserDeactivated]);
}
