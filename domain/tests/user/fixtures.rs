//! Sample accounts and the events of each step of their life.

use domain::{DisplayName, Email, PasswordHash, Role, UserCommand, UserEvent, UserId, Username};
use uuid::Uuid;

/// A PHC string of the argon2id shape; the domain never verifies it.
pub const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA";
pub const NEW_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdG5ld3NhbHQ$bmV3aGFzaG5ld2hhc2g";

pub fn user_id() -> UserId {
    UserId::new(Uuid::from_u128(0x0190_c8a2_7f3e_7b1a_9c4d_2e5f_6a7b_8c9d))
}

pub fn parent_id() -> UserId {
    UserId::new(Uuid::from_u128(0xa1))
}

pub fn other_parent_id() -> UserId {
    UserId::new(Uuid::from_u128(0xa2))
}

pub fn hash(raw: &str) -> PasswordHash {
    PasswordHash::parse(raw).unwrap()
}

pub fn register(role: Role) -> UserCommand {
    UserCommand::Register {
        user_id: user_id(),
        username: Username::parse("ada.l").unwrap(),
        email: Email::parse("Ada@Example.org").unwrap(),
        display_name: DisplayName::parse("Ada Lovelace").unwrap(),
        password_hash: hash(HASH),
        role,
    }
}

pub fn registered(role: Role) -> UserEvent {
    UserEvent::UserRegistered {
        user_id: user_id(),
        username: Username::parse("ada.l").unwrap(),
        email: Email::parse("ada@example.org").unwrap(),
        display_name: DisplayName::parse("Ada Lovelace").unwrap(),
        password_hash: hash(HASH),
        role,
    }
}

pub fn parent_linked(parent: UserId) -> UserEvent {
    UserEvent::ParentLinked { parent_id: parent }
}

pub fn history_of_a(role: Role) -> Vec<UserEvent> {
    vec![registered(role)]
}

pub fn history_deactivated(role: Role) -> Vec<UserEvent> {
    vec![registered(role), UserEvent::UserDeactivated]
}

pub fn history_reactivated(role: Role) -> Vec<UserEvent> {
    vec![
        registered(role),
        UserEvent::UserDeactivated,
        UserEvent::UserReactivated,
    ]
}
