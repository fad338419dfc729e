use domain::{Role, User, UserEvent};

use crate::fixtures::*;

#[test]
fn a_registration_reserves_its_username_and_its_normalised_email() {
    assert_eq!(
        User::reservations(&[registered(Role::Student)]),
        [
            ("username", "ada.l".to_owned()),
            ("email", "ada@example.org".to_owned())
        ]
    );
    assert_eq!(User::USERNAME_SCOPE, "username");
    assert_eq!(User::EMAIL_SCOPE, "email");
}

#[test]
fn other_events_reserve_nothing() {
    let events = [
        UserEvent::UserRoleChanged {
            previous_role: Role::Student,
            role: Role::Teacher,
        },
        UserEvent::UserDeactivated,
        UserEvent::UserReactivated,
        UserEvent::UserPasswordChanged {
            password_hash: hash(NEW_HASH),
        },
        parent_linked(parent_id()),
    ];
    assert!(User::reservations(&events).is_empty());
    assert!(User::reservations(&[]).is_empty());
}
