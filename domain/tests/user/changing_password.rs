use domain::testing::given;
use domain::{Role, User, UserCommand, UserEvent, UserRejection};

use crate::fixtures::*;

fn change_password() -> UserCommand {
    UserCommand::ChangePassword {
        password_hash: hash(NEW_HASH),
    }
}

#[test]
fn changing_the_password_replaces_the_hash() {
    let user = given::<User>(history_of_a(Role::Student))
        .when(change_password())
        .then_expect_events(vec![UserEvent::UserPasswordChanged {
            password_hash: hash(NEW_HASH),
        }]);
    assert_eq!(user.password_hash(), Some(&hash(NEW_HASH)));
}

#[test]
fn changing_the_password_of_a_deactivated_user_is_rejected() {
    given::<User>(history_deactivated(Role::Student))
        .when(change_password())
        .then_expect_rejection(UserRejection::Deactivated);
}
