//! W3C trace context as the log carries it (`Metadata::traceparent`), and the span a
//! worker opens around handling one event, so its logs carry the trace id of the request
//! that caused the event (and the correlation id), and a tracer links it as a child of the
//! span named by the traceparent.
//!
//! The tracer is a [`Tracer`] the binary installs when it exports traces (OpenTelemetry):
//! two plain functions, so no library crate depends on OpenTelemetry. Without one, spans
//! are only log context and [`current_traceparent`] is `None`.

use std::sync::OnceLock;

use crate::RecordedEvent;

/// A parsed W3C `traceparent`: `00-<32 hex trace id>-<16 hex parent span id>-<2 hex flags>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceParent<'a> {
    pub trace_id: &'a str,
    pub parent_id: &'a str,
    pub flags: &'a str,
}

impl<'a> TraceParent<'a> {
    /// The parts of a well-formed version-00 traceparent (lowercase hex, ids not all zero).
    pub fn parse(value: &'a str) -> Option<Self> {
        let mut parts = value.split('-');
        let (version, trace_id, parent_id, flags) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        let hex = |s: &str, len: usize| {
            s.len() == len
                && s.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        };
        let nonzero = |s: &str| s.bytes().any(|b| b != b'0');
        (parts.next().is_none()
            && version == "00"
            && hex(trace_id, 32)
            && nonzero(trace_id)
            && hex(parent_id, 16)
            && nonzero(parent_id)
            && hex(flags, 2))
        .then_some(Self {
            trace_id,
            parent_id,
            flags,
        })
    }
}

/// A new traceparent (random trace and span ids, sampled), for work that arrives without one.
pub fn new_traceparent() -> String {
    let trace = uuid::Uuid::new_v4().simple().to_string();
    let span = uuid::Uuid::new_v4().simple().to_string();
    format!("00-{trace}-{}-01", &span[..16])
}

/// What a span exporter adds to `tracing` spans, installed once per process ([`install`]).
#[derive(Debug, Clone, Copy)]
pub struct Tracer {
    /// Make `span` (just created, not yet entered) a child of the span `parent` names, in
    /// the same trace.
    pub set_parent: fn(&tracing::Span, &TraceParent<'_>),
    /// The traceparent that names `span` itself (its trace id and its own span id), when
    /// the tracer records it.
    pub traceparent: fn(&tracing::Span) -> Option<String>,
}

static TRACER: OnceLock<Tracer> = OnceLock::new();

/// Install the process's tracer; `false` (and no change) when one is installed already.
pub fn install(tracer: Tracer) -> bool {
    TRACER.set(tracer).is_ok()
}

/// Whether a tracer is installed (spans are exported, with their own ids).
pub fn is_traced() -> bool {
    TRACER.get().is_some()
}

/// Make `span` a child of the span `parent` names, for the tracer (nothing without one).
/// Call it before the span is first entered.
pub fn set_parent(span: &tracing::Span, parent: &TraceParent<'_>) {
    if let Some(tracer) = TRACER.get() {
        (tracer.set_parent)(span, parent);
    }
}

/// The traceparent naming `span`, when a tracer records it (`None` without one, or for a
/// span it does not record).
pub fn traceparent_of(span: &tracing::Span) -> Option<String> {
    TRACER.get().and_then(|tracer| (tracer.traceparent)(span))
}

/// The traceparent naming the current span (see [`traceparent_of`]): what work caused
/// here records, so the spans that handle it downstream nest under this one.
pub fn current_traceparent() -> Option<String> {
    traceparent_of(&tracing::Span::current())
}

/// The span around handling `event` in a worker (`worker` names it: a projection, an
/// agent, the relay). Its fields: `trace_id` and `parent_span_id` from the event's
/// traceparent (empty without one), `correlation_id` (the request id that caused it),
/// `event_id`, `position` and `event_type`. With a tracer, the span named by the
/// traceparent is its parent.
pub fn event_span(worker: &str, event: &RecordedEvent) -> tracing::Span {
    let parent = event
        .metadata
        .traceparent
        .as_deref()
        .and_then(TraceParent::parse);
    let span = tracing::info_span!(
        "event",
        worker = %worker,
        trace_id = parent.map_or("", |p| p.trace_id),
        parent_span_id = parent.map_or("", |p| p.parent_id),
        correlation_id = event.metadata.correlation_id.as_deref().unwrap_or(""),
        event_id = %event.event_id,
        position = event.position,
        event_type = %event.event_type,
    );
    if let Some(parent) = &parent {
        set_parent(&span, parent);
    }
    span
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_w3c_version_00() {
        let parsed =
            TraceParent::parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").unwrap();
        assert_eq!(parsed.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(parsed.parent_id, "00f067aa0ba902b7");
        assert_eq!(parsed.flags, "01");
        for bad in [
            "",
            "00-4bf92f35-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",
        ] {
            assert!(TraceParent::parse(bad).is_none(), "{bad}");
        }
        assert!(TraceParent::parse(&new_traceparent()).is_some());
    }

    /// The parents a tracer was asked to set (the process's one tracer, for this test only).
    static PARENTS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

    #[test]
    fn an_installed_tracer_parents_the_event_span_and_names_the_current_one() {
        install(Tracer {
            set_parent: |_, parent| {
                let ids = format!("{}-{}", parent.trace_id, parent.parent_id);
                PARENTS.lock().unwrap().push(ids);
            },
            traceparent: |_| Some("00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01".into()),
        });
        assert!(is_traced());
        let event = crate::RecordedEvent {
            position: 7,
            event_id: uuid::Uuid::now_v7(),
            stream_id: "lesson-1".into(),
            stream_version: 1,
            event_type: "LessonDrafted".into(),
            schema_version: 1,
            payload: serde_json::json!({}),
            metadata: crate::Metadata {
                traceparent: Some("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".into()),
                ..crate::Metadata::default()
            },
            recorded_at: chrono::Utc::now(),
        };
        let _span = event_span("lessons", &event);
        assert_eq!(
            *PARENTS.lock().unwrap(),
            ["4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7"]
        );
        assert_eq!(
            current_traceparent().as_deref(),
            Some("00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01")
        );
    }
}
