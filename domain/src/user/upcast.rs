//! The schema history of the user events ([`crate::upcast`]).
//!
//! - `UserRoleChanged` v1 → v2: `{from, to}` became `{previous_role, role}`. `from` is a
//!   reserved word in Python (the language of the example agent, and of most analysts'
//!   scripts), SQL and others, so a consumer could not map the payload onto a record
//!   type without renaming it; and neither name said *what* changed. `role` is now the
//!   account's role after the event under the same name as in `UserRegistered`, so a
//!   reader that follows an account's role reads one field of both events.

use crate::upcast::{Fields, Upcaster, Upcasters, fields};

/// Every step of every user event type, oldest first.
pub(super) const UPCASTERS: Upcasters = Upcasters::new(&[Upcaster {
    event_type: "UserRoleChanged",
    from: 1,
    step: role_changed_v1_to_v2,
}]);

/// `{from, to}` → `{previous_role, role}`; the values (snake_case role names) are kept.
fn role_changed_v1_to_v2(mut v1: Fields) -> Result<Fields, String> {
    let previous_role = fields::take(&mut v1, "from")?;
    let role = fields::take(&mut v1, "to")?;
    let mut v2 = v1;
    v2.insert("previous_role".to_owned(), previous_role);
    v2.insert("role".to_owned(), role);
    Ok(v2)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn fields(value: Value) -> Fields {
        match value {
            Value::Object(fields) => fields,
            _ => unreachable!("the tests pass objects"),
        }
    }

    #[test]
    fn a_v1_role_change_names_the_roles_previous_role_and_role() {
        let v2 = role_changed_v1_to_v2(fields(json!({ "from": "student", "to": "teacher" })));
        assert_eq!(
            Value::Object(v2.unwrap()),
            json!({ "previous_role": "student", "role": "teacher" })
        );
    }

    #[test]
    fn a_v1_role_change_without_both_roles_does_not_fit_v1() {
        let missing = role_changed_v1_to_v2(fields(json!({ "from": "student" })));
        assert_eq!(missing.unwrap_err(), "missing field `to`");
    }

    #[test]
    fn the_chains_are_whole() {
        UPCASTERS
            .check(&crate::UserEvent::EVENT_TYPES)
            .expect("every user upcaster chain runs 1, 2, … without gaps");
    }
}
