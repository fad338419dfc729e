use domain::{AgentName, ContentRequestEvent, DecodeError, DomainEvent, TokenUsage};
use serde_json::json;

use crate::fixtures::*;

fn every_event() -> Vec<ContentRequestEvent> {
    vec![
        requested(Some("rainforest")),
        cancelled(),
        ContentRequestEvent::AgentStepStarted {
            agent: AgentName::Quiz,
            attempt: 1,
        },
        ContentRequestEvent::AgentStepCompleted {
            agent: AgentName::Quiz,
            attempt: 1,
            output: json!({"items": [{"question": "Why?"}]}),
            duration_ms: 31,
            provider: "anthropic".to_owned(),
            model: "claude-3-5-haiku-latest".to_owned(),
            usage: Some(TokenUsage {
                input_tokens: 812,
                output_tokens: 455,
            }),
        },
        ContentRequestEvent::AgentStepFailed {
            agent: AgentName::Review,
            attempt: 2,
            reason: "quiz item 3 has two correct options".to_owned(),
            duration_ms: 2,
            provider: None,
        },
        generated(),
        failed(),
    ]
}

#[test]
fn a_step_payload_names_the_agent_and_duration_as_the_agent_performance_projection_reads_them() {
    let payload = every_event()[3].to_payload();
    assert_eq!(payload["agent"], json!("quiz"));
    assert_eq!(payload["duration_ms"], json!(31));
    assert_eq!(
        payload["usage"],
        json!({"input_tokens": 812, "output_tokens": 455})
    );
    let mut without_usage = payload.clone();
    without_usage.as_object_mut().unwrap().remove("usage");
    let decoded =
        ContentRequestEvent::from_stored("AgentStepCompleted", 1, &without_usage).unwrap();
    assert!(matches!(
        decoded,
        ContentRequestEvent::AgentStepCompleted { usage: None, .. }
    ));
}

#[test]
fn every_content_request_event_round_trips_through_its_stored_form() {
    let mut events = every_event();
    events.push(requested(None));
    events.push(ContentRequestEvent::ContentRequestCancelled { reason: None });
    for event in events {
        let decoded = ContentRequestEvent::from_stored(
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
    assert_eq!(names, ContentRequestEvent::EVENT_TYPES);
}

#[test]
fn a_requested_payload_is_everything_an_agent_needs_in_plain_json() {
    assert_eq!(
        requested(Some("rainforest")).to_payload(),
        json!({
            "request_id": "0190c8a2-7f3e-7b1a-9c4d-2e5f6a7b8c9d",
            "lesson_id": "00000000-0000-0000-0000-00000000001e",
            "title": "Photosynthesis",
            "subject": "Science",
            "grade_level": 7,
            "objectives": [
                "Explain how light drives photosynthesis",
                "Name the inputs and outputs",
            ],
            "duration_minutes": 45,
            "parts": ["lesson_content", "quiz"],
            "theme": "rainforest",
            "requested_by": "00000000-0000-0000-0000-00000000007e",
        })
    );
}

#[test]
fn a_request_without_a_theme_stores_null_and_a_missing_theme_reads_as_none() {
    let mut payload = requested(None).to_payload();
    assert_eq!(payload["theme"], json!(null));
    payload.as_object_mut().unwrap().remove("theme");
    assert_eq!(
        ContentRequestEvent::from_stored("ContentRequested", 1, &payload).unwrap(),
        requested(None)
    );
}

#[test]
fn a_generated_payload_holds_the_outputs_as_they_are() {
    assert_eq!(generated().to_payload(), json!({ "outputs": outputs() }));
}

#[test]
fn an_unknown_event_type_or_version_is_refused() {
    assert!(matches!(
        ContentRequestEvent::from_stored("ContentDeleted", 1, &json!({})),
        Err(DecodeError::UnknownType(_))
    ));
    assert!(matches!(
        ContentRequestEvent::from_stored("ContentGenerated", 2, &json!({ "outputs": {} })),
        Err(DecodeError::UnsupportedVersion { version: 2, .. })
    ));
}

#[test]
fn a_payload_with_an_invalid_value_is_malformed() {
    for (field, bad) in [
        ("objectives", json!([])),
        ("objectives", json!(["ok objective", "no"])),
        ("duration_minutes", json!(4)),
        ("duration_minutes", json!(181)),
        ("parts", json!([])),
        ("parts", json!(["video"])),
        ("theme", json!("")),
        ("grade_level", json!(0)),
    ] {
        let mut payload = requested(None).to_payload();
        payload[field] = bad;
        let error = ContentRequestEvent::from_stored("ContentRequested", 1, &payload).unwrap_err();
        assert!(
            matches!(error, DecodeError::Malformed { ref event_type, .. } if event_type == "ContentRequested"),
            "{field}"
        );
    }
}

#[test]
fn a_payload_missing_a_required_field_is_malformed() {
    let error =
        ContentRequestEvent::from_stored("ContentGenerationFailed", 1, &json!({})).unwrap_err();
    assert!(matches!(error, DecodeError::Malformed { .. }));
}
