use domain::{DecodeError, DomainEvent, LessonEvent};
use serde_json::json;

use crate::fixtures::*;

fn every_event() -> Vec<LessonEvent> {
    vec![
        drafted(),
        revised_title("New title"),
        LessonEvent::LessonRevised {
            title: None,
            description: Some(description("")),
            subject: Some(subject("Math")),
            grade_level: Some(grade(12)),
            content: Some(content(json!({ "a": [1, 2, { "b": null }] }))),
        },
        LessonEvent::LessonSubmittedForReview,
        approved(),
        LessonEvent::LessonPublished,
        archived(),
        LessonEvent::LessonArchived { reason: None },
        generated_content_attached(content_request_id(), "Leaves catch light."),
    ]
}

#[test]
fn every_lesson_event_round_trips_through_its_stored_form() {
    for event in every_event() {
        let decoded = LessonEvent::from_stored(
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
    assert_eq!(
        names,
        [
            "LessonDrafted",
            "LessonRevised",
            "LessonRevised",
            "LessonSubmittedForReview",
            "LessonApproved",
            "LessonPublished",
            "LessonArchived",
            "LessonArchived",
            "GeneratedContentAttached",
        ]
    );
    for name in names {
        assert!(LessonEvent::EVENT_TYPES.contains(&name));
    }
}

#[test]
fn a_drafted_payload_is_the_plain_fields_without_a_type_tag() {
    assert_eq!(
        drafted().to_payload(),
        json!({
            "lesson_id": "0190c8a2-7f3e-7b1a-9c4d-2e5f6a7b8c9d",
            "title": "Photosynthesis",
            "description": "How plants make food from light.",
            "subject": "Science",
            "grade_level": 7,
            "content": { "sections": [{ "heading": "Light" }] },
            "author": "00000000-0000-0000-0000-0000000000a1",
        })
    );
}

#[test]
fn a_revised_payload_holds_only_the_changed_fields() {
    assert_eq!(revised_title("New").to_payload(), json!({ "title": "New" }));
}

#[test]
fn a_generated_content_payload_names_the_request_and_holds_the_content() {
    assert_eq!(
        generated_content_attached(content_request_id(), "Leaves.").to_payload(),
        json!({
            "content_request_id": "00000000-0000-0000-0000-0000000000c1",
            "content": { "generated": "Leaves." },
        })
    );
}

#[test]
fn events_without_fields_have_an_empty_object_as_payload() {
    assert_eq!(LessonEvent::LessonPublished.to_payload(), json!({}));
    assert_eq!(
        LessonEvent::LessonSubmittedForReview.to_payload(),
        json!({})
    );
}

#[test]
fn an_unknown_event_type_is_reported_as_unknown() {
    let error = LessonEvent::from_stored("LessonDeleted", 1, &json!({})).unwrap_err();
    assert!(matches!(error, DecodeError::UnknownType(t) if t == "LessonDeleted"));
}

#[test]
fn a_schema_version_other_than_one_is_unsupported() {
    for version in [0, 2] {
        let error = LessonEvent::from_stored("LessonPublished", version, &json!({})).unwrap_err();
        assert!(matches!(
            error,
            DecodeError::UnsupportedVersion { ref event_type, version: v, .. }
                if event_type == "LessonPublished" && v == version
        ));
    }
}

#[test]
fn a_payload_with_an_invalid_value_is_malformed() {
    let mut payload = drafted().to_payload();
    payload["grade_level"] = json!(13);
    let error = LessonEvent::from_stored("LessonDrafted", 1, &payload).unwrap_err();
    assert!(
        matches!(error, DecodeError::Malformed { ref event_type, .. } if event_type == "LessonDrafted")
    );
    assert!(
        error
            .to_string()
            .contains("grade level must be an integer 1–12")
    );
}

#[test]
fn a_payload_that_is_not_an_object_is_malformed() {
    let error = LessonEvent::from_stored("LessonPublished", 1, &json!(null)).unwrap_err();
    assert!(matches!(error, DecodeError::Malformed { .. }));
}

#[test]
fn a_payload_missing_a_required_field_is_malformed() {
    let error = LessonEvent::from_stored("LessonApproved", 1, &json!({})).unwrap_err();
    assert!(matches!(error, DecodeError::Malformed { .. }));
}
