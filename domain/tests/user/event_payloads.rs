use domain::{DecodeError, DomainEvent, Role, UserEvent};
use serde_json::json;

use crate::fixtures::*;

fn every_event() -> Vec<UserEvent> {
    vec![
        registered(Role::Student),
        UserEvent::UserRoleChanged {
            previous_role: Role::Student,
            role: Role::Agent,
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
fn a_role_change_payload_names_the_previous_role_and_the_role_in_snake_case() {
    let event = UserEvent::UserRoleChanged {
        previous_role: Role::Parent,
        role: Role::Admin,
    };
    assert_eq!(
        event.to_payload(),
        json!({ "previous_role": "parent", "role": "admin" })
    );
    assert_eq!(event.schema_version(), 2);
}

#[test]
fn a_role_change_stored_as_schema_version_1_reads_as_the_current_shape() {
    let v1 = json!({ "from": "student", "to": "teacher" });
    let event = UserEvent::from_stored("UserRoleChanged", 1, &v1).unwrap();
    assert_eq!(
        event,
        UserEvent::UserRoleChanged {
            previous_role: Role::Student,
            role: Role::Teacher,
        }
    );
    // Round trip: written again, it is stored in the current shape at the current version.
    assert_eq!(
        UserEvent::from_stored(
            "UserRoleChanged",
            event.schema_version(),
            &event.to_payload()
        )
        .unwrap(),
        event
    );
}

#[test]
fn a_v1_role_change_with_a_bad_role_or_the_v2_names_is_malformed() {
    for bad in [
        json!({ "from": "student", "to": "root" }),
        json!({ "previous_role": "student", "role": "teacher" }),
    ] {
        let error = UserEvent::from_stored("UserRoleChanged", 1, &bad).unwrap_err();
        assert!(
            matches!(error, DecodeError::Malformed { ref event_type, .. } if event_type == "UserRoleChanged"),
            "{bad}: {error}"
        );
    }
}

#[test]
fn only_the_role_change_moved_on_to_version_2() {
    let versions: Vec<(&str, i32)> = every_event()
        .iter()
        .map(|e| (e.event_type(), e.schema_version()))
        .collect();
    assert_eq!(
        versions,
        [
            ("UserRegistered", 1),
            ("UserRoleChanged", 2),
            ("UserDeactivated", 1),
            ("UserReactivated", 1),
            ("UserPasswordChanged", 1),
            ("ParentLinked", 1),
        ]
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
fn a_schema_version_newer_than_the_current_one_or_below_one_is_unsupported() {
    for (event_type, version, current) in [
        ("UserDeactivated", 2, 1),
        ("UserRoleChanged", 3, 2),
        ("UserRoleChanged", 0, 2),
    ] {
        let error = UserEvent::from_stored(event_type, version, &json!({})).unwrap_err();
        assert!(
            matches!(
                error,
                DecodeError::UnsupportedVersion { version: v, current: c, .. }
                    if v == version && c == current
            ),
            "{event_type} v{version}: {error}"
        );
    }
    assert_eq!(
        UserEvent::from_stored("UserRoleChanged", 3, &json!({}))
            .unwrap_err()
            .to_string(),
        "unsupported schema version 3 of `UserRoleChanged`: this build reads versions 1 to 2"
    );
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
