use domain::{Password, Role, User, UserEvent};

use crate::fixtures::*;

/// The salt and digest of [`HASH`]: what must never show in a log line.
const SECRET_PARTS: [&str; 2] = ["c2FsdHNhbHRzYWx0", "aGFzaGhhc2hoYXNoaGFzaA"];

fn assert_hides_the_hash(printed: &str) {
    for part in SECRET_PARTS {
        assert!(!printed.contains(part), "leaked `{part}` in {printed}");
    }
    assert!(printed.contains("$argon2id$***"), "{printed}");
}

#[test]
fn a_password_never_prints_its_secret() {
    let password = Password::parse("correct horse battery staple").unwrap();
    for printed in [format!("{password:?}"), format!("{password:#?}")] {
        assert!(!printed.contains("correct horse"), "{printed}");
        assert!(printed.contains("***"));
    }
}

#[test]
fn a_password_hash_never_prints_its_salt_or_digest() {
    assert_hides_the_hash(&format!("{:?}", hash(HASH)));
}

#[test]
fn commands_events_and_state_that_hold_a_hash_never_print_it() {
    assert_hides_the_hash(&format!("{:#?}", register(Role::Student)));
    assert_hides_the_hash(&format!("{:?}", registered(Role::Student)));
    let user = <User as domain::Aggregate>::replay(&[registered(Role::Student)]);
    assert_hides_the_hash(&format!("{user:?}"));
    let changed = UserEvent::UserPasswordChanged {
        password_hash: hash(HASH),
    };
    assert_hides_the_hash(&format!("{changed:?}"));
}
