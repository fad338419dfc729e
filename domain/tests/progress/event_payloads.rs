use domain::{DecodeError, DomainEvent, ProgressEvent};
use serde_json::json;

use crate::fixtures::*;

fn every_event() -> Vec<ProgressEvent> {
    vec![started(), recorded(40, 20, 20), completed(100, 120)]
}

#[test]
fn every_progress_event_round_trips_through_its_stored_form() {
    for event in every_event() {
        let decoded = ProgressEvent::from_stored(
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
    assert_eq!(names, ProgressEvent::EVENT_TYPES);
}

#[test]
fn progress_payloads_are_the_plain_fields_without_a_type_tag() {
    assert_eq!(
        started().to_payload(),
        json!({
            "student_id": "00000000-0000-0000-0000-000000050001",
            "lesson_id": "00000000-0000-0000-0000-000000010001",
            "class_id": "00000000-0000-0000-0000-0000000c1a55",
        })
    );
    assert_eq!(
        recorded(40, 20, 20).to_payload(),
        json!({ "completion": 40, "xp_earned": 20, "total_xp": 20 })
    );
    assert_eq!(
        completed(100, 120).to_payload(),
        json!({ "xp_awarded": 100, "total_xp": 120 })
    );
}

#[test]
fn an_unknown_event_type_or_version_is_refused() {
    assert!(matches!(
        ProgressEvent::from_stored("ProgressReset", 1, &json!({})),
        Err(DecodeError::UnknownType(_))
    ));
    assert!(matches!(
        ProgressEvent::from_stored("LessonCompleted", 0, &completed(1, 1).to_payload()),
        Err(DecodeError::UnsupportedVersion { version: 0, .. })
    ));
}

#[test]
fn a_payload_with_an_invalid_value_is_malformed() {
    for (field, bad) in [
        ("completion", json!(101)),
        ("completion", json!(-1)),
        ("xp_earned", json!(-1)),
        ("total_xp", json!(-1)),
    ] {
        let mut payload = recorded(40, 20, 20).to_payload();
        payload[field] = bad;
        let error = ProgressEvent::from_stored("ProgressRecorded", 1, &payload).unwrap_err();
        assert!(
            matches!(error, DecodeError::Malformed { ref event_type, .. } if event_type == "ProgressRecorded"),
            "{field}"
        );
    }
}

#[test]
fn a_payload_missing_a_required_field_is_malformed() {
    let error = ProgressEvent::from_stored("ProgressStarted", 1, &json!({})).unwrap_err();
    assert!(matches!(error, DecodeError::Malformed { .. }));
}
