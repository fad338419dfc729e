use domain::{DecodeError, DomainEvent, Role, UserEvent};
use serde_json::json;

use crate::fixtures::*;

fn every_event() -> Vec<UserEvent> {
    vec![
        registered(Role::Student),
        UserEvent::UserRoleChanged {
            from: Role::Student,
            to: Role::Agent,
        },
        UserEvent::UserDeactivated,
        UserEvent::UserReactivated,
        UserEvent::UserPasswordChanged {
            password_hash: hash(NEW_HASH),
        },
        parent_linked(parent_id()),
    ]
}

#[test]
fn every_user_event_round_trips_through_its_stored_form() {
    for event in every_event() {
        let decoded = UserEvent::from_stored(
            event.event_type(),
            event.schema_version(),
            &event.to_payload(),
        )
        .unwrap();
        assert_eq!(decoded, event);
    }
}

#[test]
fn event_types_are_the_variant_names_and_all_are_listed() {
    let names: Vec<&str> = every_event().iter().map(DomainEvent::event_type).collect();
    assert_eq!(names, UserEvent::EVENT_TYPES);
}

#[test]
fn a_registered_payload_is_the_plain_fields_without_a_type_tag() {
    assert_eq!(
        registered(Role::Teacher).to_payload(),
        json!({
            "user_id": "0190c8a2-7f3e-7b1a-9c4d-2e5f6a7b8c9d",
            "username": "ada.l",
            "email": "ada@example.org",
            "display_name": "Ada Lovelace",
            "password_hash": HASH,
            "role": "teacher",
        })
    );
}

#[test]
fn a_role_change_payload_names_both_roles_in_snake_case() {
    let event = UserEvent::UserRoleChanged {
        from: Role::Parent,
        to: Role::Admin,
    };
    assert_eq!(
        event.to_payload(),
        json!({ "from": "parent", "to": "admin" })
    );
}

#[test]
fn events_without_fields_have_an_empty_object_as_payload() {
    assert_eq!(UserEvent::UserDeactivated.to_payload(), json!({}));
    assert_eq!(UserEvent::UserReactivated.to_payload(), json!({}));
}

#[test]
fn an_unknown_event_type_is_reported_as_unknown() {
    let error = UserEvent::from_stored("UserDeleted", 1, &json!({})).unwrap_err();
    assert!(matches!(error, DecodeError::UnknownType(t) if t == "UserDeleted"));
}

#[test]
fn a_schema_version_other_than_one_is_unsupported() {
    let error = UserEvent::from_stored("UserDeactivated", 2, &json!({})).unwrap_err();
    assert!(matches!(
        error,
        DecodeError::UnsupportedVersion { version: 2, .. }
    ));
}

#[test]
fn a_payload_with_an_invalid_value_is_malformed() {
    for (field, bad) in [
        ("username", json!("Ada")),
        ("email", json!("nope")),
        ("password_hash", json!("plain password")),
        ("role", json!("root")),
        ("display_name", json!("")),
    ] {
        let mut payload = registered(Role::Student).to_payload();
        payload[field] = bad;
        let error = UserEvent::from_stored("UserRegistered", 1, &payload).unwrap_err();
        assert!(
            matches!(error, DecodeError::Malformed { ref event_type, .. } if event_type == "UserRegistered"),
            "{field}"
        );
    }
}

#[test]
fn a_payload_missing_a_required_field_is_malformed() {
    let error = UserEvent::from_stored("ParentLinked", 1, &json!({})).unwrap_err();
    assert!(matches!(error, DecodeError::Malformed { .. }));
}
