//! `docs/asyncapi.yaml`, the bus contract for workers in other languages, cannot drift from
//! the code: it must describe every event type the domain defines (the content request
//! and sign-in events with payload schemas of their own), every schema version of an event
//! type that has changed shape (the current one and each older one still in the log), and
//! every header the bus's encoder writes, and name no `Lectern-*` header the encoder does
//! not write.
//!
//! The document is read as text (no YAML parser among the dependencies): its messages are
//! the `name:` lines under `components.messages`, its headers the property keys of
//! `components.schemas.Headers`.

use std::collections::BTreeSet;

use domain::upcast::Upcasters;
use domain::{
    Aggregate, Class, ClassEvent, ContentRequest, ContentRequestEvent, DomainEvent, Lesson,
    LessonEvent, Progress, ProgressEvent, Role, SignInEvent, SignInRecord, User, UserEvent,
};
use eventstore::{Metadata, RecordedEvent};
use uuid::Uuid;

fn document() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/asyncapi.yaml");
    std::fs::read_to_string(path).expect("docs/asyncapi.yaml is readable")
}

/// The lines of the block that starts with the line `header` (exactly, indentation
/// included) and ends before the next line indented as deep or less.
fn block<'a>(document: &'a str, header: &str) -> Vec<&'a str> {
    let indent = header.len() - header.trim_start().len();
    let mut lines = document.lines().skip_while(|line| *line != header);
    assert!(lines.next().is_some(), "no `{}` block", header.trim());
    lines
        .take_while(|line| line.trim().is_empty() || line.len() - line.trim_start().len() > indent)
        .collect()
}

/// Keys of `block` at exactly `indent` spaces.
fn keys_at(block: &[&str], indent: usize) -> BTreeSet<String> {
    block
        .iter()
        .filter(|line| line.len() - line.trim_start().len() == indent)
        .filter_map(|line| line.trim().strip_suffix(':'))
        .map(str::to_owned)
        .collect()
}

/// The `name:` of every message of `components.messages`.
fn message_names(document: &str) -> BTreeSet<String> {
    block(document, "  messages:")
        .iter()
        .filter_map(|line| line.strip_prefix("      name: "))
        .map(|name| name.trim().to_owned())
        .collect()
}

fn every_event_type() -> Vec<(&'static str, &'static [&'static str])> {
    vec![
        (ContentRequest::CATEGORY, &ContentRequestEvent::EVENT_TYPES),
        (Lesson::CATEGORY, &LessonEvent::EVENT_TYPES),
        (User::CATEGORY, &UserEvent::EVENT_TYPES),
        (Class::CATEGORY, &ClassEvent::EVENT_TYPES),
        (Progress::CATEGORY, &ProgressEvent::EVENT_TYPES),
        (SignInRecord::CATEGORY, &SignInEvent::EVENT_TYPES),
    ]
}

/// Every event type with its upcasters (its current schema version).
fn every_event_type_with_upcasters() -> Vec<(&'static str, Upcasters)> {
    let enums: [(&'static [&'static str], Upcasters); 6] = [
        (
            &ContentRequestEvent::EVENT_TYPES,
            ContentRequestEvent::UPCASTERS,
        ),
        (&LessonEvent::EVENT_TYPES, LessonEvent::UPCASTERS),
        (&UserEvent::EVENT_TYPES, UserEvent::UPCASTERS),
        (&ClassEvent::EVENT_TYPES, ClassEvent::UPCASTERS),
        (&ProgressEvent::EVENT_TYPES, ProgressEvent::UPCASTERS),
        (&SignInEvent::EVENT_TYPES, SignInEvent::UPCASTERS),
    ];
    enums
        .into_iter()
        .flat_map(|(types, upcasters)| types.iter().map(move |t| (*t, upcasters)))
        .collect()
}

/// The property names of schema `name` (under `components.schemas`).
fn schema_fields(document: &str, name: &str) -> BTreeSet<String> {
    keys_at(&block(document, &format!("    {name}:")), 8)
}

fn payload_fields(event: &impl DomainEvent) -> BTreeSet<String> {
    event
        .to_payload()
        .as_object()
        .expect("a payload is an object")
        .keys()
        .cloned()
        .collect()
}

/// An event with every optional metadata value set, so the encoder writes every header.
fn fully_described_event() -> RecordedEvent {
    RecordedEvent {
        position: 42,
        event_id: Uuid::now_v7(),
        stream_id: format!("content-{}", Uuid::now_v7()),
        stream_version: 1,
        event_type: "ContentRequested".to_owned(),
        schema_version: 1,
        payload: serde_json::json!({}),
        metadata: Metadata {
            actor_id: Some(Uuid::now_v7()),
            actor_role: Some("teacher".to_owned()),
            command_id: Some(Uuid::now_v7()),
            correlation_id: Some("request-1".to_owned()),
            causation_id: Some("cause-1".to_owned()),
            traceparent: Some("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".to_owned()),
        },
        recorded_at: chrono::Utc::now(),
    }
}

#[test]
fn every_event_type_of_the_domain_is_a_message_of_the_document() {
    let names = message_names(&document());
    let mut expected = BTreeSet::new();
    for (category, event_types) in every_event_type() {
        for event_type in event_types {
            assert!(
                names.contains(*event_type),
                "docs/asyncapi.yaml has no message `{event_type}` (category {category})"
            );
            expected.insert((*event_type).to_owned());
        }
    }
    let stale: Vec<_> = names.difference(&expected).collect();
    assert!(
        stale.is_empty(),
        "docs/asyncapi.yaml describes events the domain does not have: {stale:?}"
    );
}

#[test]
fn every_category_is_a_value_of_the_category_parameter() {
    let document = document();
    let parameter = block(&document, "    category:");
    let values = parameter
        .iter()
        .find_map(|line| line.trim().strip_prefix("enum: "))
        .expect("the category parameter lists its values");
    for (category, _) in every_event_type() {
        assert!(
            values
                .trim_matches(['[', ']'])
                .split(", ")
                .any(|v| v == category),
            "the category parameter lacks `{category}`: {values}"
        );
    }
}

#[test]
fn every_content_request_event_has_its_own_payload_schema_and_channel_entry() {
    let document = document();
    let schemas = keys_at(&block(&document, "  schemas:"), 4);
    let content_channel = block(
        &document,
        "  lectern.events.content.{streamId}.{eventType}:",
    );
    for event_type in ContentRequestEvent::EVENT_TYPES {
        for schema in [
            format!("{event_type}Payload"),
            format!("{event_type}Envelope"),
        ] {
            assert!(schemas.contains(&schema), "no schema `{schema}`");
        }
        let message = format!("- $ref: '#/components/messages/{event_type}'");
        assert!(
            content_channel.iter().any(|line| line.trim() == message),
            "the content channel does not carry `{event_type}`"
        );
        assert!(
            document.contains(&format!("              const: {event_type}\n")),
            "`{event_type}Envelope` does not pin its event_type"
        );
    }
}

#[test]
fn the_content_requested_payload_schema_names_every_field_the_domain_serializes() {
    let document = document();
    let properties = block(&document, "    ContentRequestedPayload:");
    let fields = keys_at(&properties, 8);
    let event: ContentRequestEvent = serde_json::from_value(serde_json::json!({
        "type": "ContentRequested",
        "request_id": Uuid::now_v7(),
        "lesson_id": Uuid::now_v7(),
        "title": "Photosynthesis",
        "subject": "Science",
        "grade_level": 7,
        "objectives": ["Explain how light drives photosynthesis"],
        "duration_minutes": 45,
        "parts": ["quiz"],
        "theme": null,
        "requested_by": Uuid::now_v7(),
    }))
    .expect("a ContentRequested event");
    let payload = domain::payload::to_payload(&event);
    let serialized: BTreeSet<String> = payload.as_object().unwrap().keys().cloned().collect();
    assert_eq!(fields, serialized);
}

#[test]
fn every_header_the_bus_writes_is_documented_and_no_other_lectern_header() {
    let document = document();
    let documented = keys_at(&block(&document, "    Headers:"), 8);
    let message = bus::envelope::encode("lectern.events", &fully_described_event())
        .expect("the event encodes");
    let written: BTreeSet<String> = message
        .headers
        .iter()
        .map(|(name, _)| name.to_string())
        .collect();

    // What the encoder writes, by its constants (a header it stops writing fails here too).
    for header in [
        "Nats-Msg-Id",
        bus::envelope::POSITION,
        bus::envelope::STREAM,
        bus::envelope::VERSION,
        bus::envelope::EVENT_TYPE,
        bus::envelope::SCHEMA_VERSION,
        bus::envelope::COMMAND_ID,
        bus::envelope::CORRELATION_ID,
        bus::envelope::CAUSATION_ID,
        bus::envelope::TRACEPARENT,
    ] {
        assert!(
            written.contains(header),
            "the encoder no longer writes {header}"
        );
    }
    for header in &written {
        assert!(
            documented.contains(header),
            "docs/asyncapi.yaml does not document the header `{header}`"
        );
    }
    let stale: Vec<_> = documented
        .iter()
        .filter(|header| header.starts_with("Lectern-") && !written.contains(*header))
        .collect();
    assert!(
        stale.is_empty(),
        "docs/asyncapi.yaml documents headers the bus does not write: {stale:?}"
    );
}

#[test]
fn every_event_type_past_version_1_documents_each_of_its_versions() {
    let document = document();
    let schemas = keys_at(&block(&document, "  schemas:"), 4);
    for (event_type, upcasters) in every_event_type_with_upcasters() {
        let current = upcasters.current_version(event_type);
        if current == 1 {
            continue;
        }
        assert!(
            schemas.contains(&format!("{event_type}Payload")),
            "no schema `{event_type}Payload` (version {current})"
        );
        let envelope = block(&document, &format!("    {event_type}Envelope:"));
        assert!(
            envelope
                .iter()
                .any(|line| line.trim() == format!("const: {current}")),
            "`{event_type}Envelope` does not pin schema_version {current}"
        );
        for old in 1..current {
            assert!(
                schemas.contains(&format!("{event_type}V{old}Payload")),
                "no schema `{event_type}V{old}Payload` for the events stored as version {old}"
            );
        }
    }
}

#[test]
fn the_role_change_schemas_are_the_domains_current_shape_and_what_it_reads_as_version_1() {
    let document = document();
    let event = UserEvent::UserRoleChanged {
        previous_role: Role::Student,
        role: Role::Teacher,
    };
    assert_eq!(
        schema_fields(&document, "UserRoleChangedPayload"),
        payload_fields(&event)
    );
    let v1: serde_json::Map<String, serde_json::Value> =
        schema_fields(&document, "UserRoleChangedV1Payload")
            .into_iter()
            .map(|field| (field, serde_json::json!("student")))
            .collect();
    let decoded = UserEvent::from_stored("UserRoleChanged", 1, &v1.into())
        .expect("the documented version 1 payload decodes");
    assert_eq!(decoded.event_type(), "UserRoleChanged");
}

#[test]
fn the_sign_in_payload_schemas_name_every_field_the_domain_serializes() {
    let document = document();
    let user_id = domain::UserId::new(Uuid::now_v7());
    for event in [
        SignInEvent::SignedIn { user_id },
        SignInEvent::SignInFailed {
            username: None,
            user_id: None,
            reason: domain::SignInFailure::UnknownUser,
        },
        SignInEvent::TokenRefreshRefused {
            user_id: None,
            reason: domain::RefreshRefusal::InvalidToken,
        },
    ] {
        let name = format!("{}Payload", event.event_type());
        assert_eq!(
            schema_fields(&document, &name),
            payload_fields(&event),
            "{name}"
        );
    }
}
