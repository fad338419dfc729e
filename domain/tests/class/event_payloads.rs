use domain::{ClassEvent, DecodeError, DomainEvent};
use serde_json::json;

use crate::fixtures::*;

fn every_event() -> Vec<ClassEvent> {
    vec![
        created(30),
        enrolled(1),
        ClassEvent::StudentUnenrolled {
            student_id: student_id(1),
        },
        assigned(1),
        ClassEvent::LessonUnassigned {
            lesson_id: lesson_id(1),
        },
        ClassEvent::ClassArchived,
    ]
}

#[test]
fn every_class_event_round_trips_through_its_stored_form() {
    for event in every_event() {
        let decoded = ClassEvent::from_stored(
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
    assert_eq!(names, ClassEvent::EVENT_TYPES);
}

#[test]
fn a_created_payload_is_the_plain_fields_without_a_type_tag() {
    assert_eq!(
        created(30).to_payload(),
        json!({
            "class_id": "0190c8a2-7f3e-7b1a-9c4d-2e5f6a7b8c9d",
            "name": "7B Science",
            "subject": "Science",
            "grade_level": 7,
            "max_students": 30,
            "teacher_id": "00000000-0000-0000-0000-00000000007e",
        })
    );
}

#[test]
fn roster_and_lesson_payloads_name_the_student_or_the_lesson() {
    assert_eq!(
        enrolled(1).to_payload(),
        json!({ "student_id": "00000000-0000-0000-0000-000000050001" })
    );
    assert_eq!(
        assigned(1).to_payload(),
        json!({ "lesson_id": "00000000-0000-0000-0000-000000010001" })
    );
    assert_eq!(ClassEvent::ClassArchived.to_payload(), json!({}));
}

#[test]
fn an_unknown_event_type_or_version_is_refused() {
    assert!(matches!(
        ClassEvent::from_stored("ClassDeleted", 1, &json!({})),
        Err(DecodeError::UnknownType(_))
    ));
    assert!(matches!(
        ClassEvent::from_stored("ClassArchived", 2, &json!({})),
        Err(DecodeError::UnsupportedVersion { version: 2, .. })
    ));
}

#[test]
fn a_payload_with_an_invalid_value_is_malformed() {
    for (field, bad) in [
        ("max_students", json!(0)),
        ("max_students", json!(501)),
        ("name", json!("")),
        ("grade_level", json!(13)),
        ("teacher_id", json!("nope")),
    ] {
        let mut payload = created(30).to_payload();
        payload[field] = bad;
        let error = ClassEvent::from_stored("ClassCreated", 1, &payload).unwrap_err();
        assert!(
            matches!(error, DecodeError::Malformed { ref event_type, .. } if event_type == "ClassCreated"),
            "{field}"
        );
    }
}

#[test]
fn a_payload_missing_a_required_field_is_malformed() {
    let error = ClassEvent::from_stored("StudentEnrolled", 1, &json!({})).unwrap_err();
    assert!(matches!(error, DecodeError::Malformed { .. }));
}
