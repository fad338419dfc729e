//! One Server-Sent Events message, rendered once into bytes that every feed carrying it
//! shares (a reference count, not a copy per connection).
//!
//! axum's `sse::Event` builds each message in a buffer of its own, so an event followed by
//! 200 feeds was formatted 200 times; here the hub renders it once. The format is the
//! WHATWG one: `id:`, `event:` and `data:` lines, then a blank line. `data` must be one
//! line (serde_json's output is: it escapes newlines), `event` a name without line breaks.

use bytes::{BufMut, Bytes, BytesMut};

/// A rendered SSE message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame(Bytes);

impl Frame {
    /// `id: <id>` (when given), `event: <event>`, `data: <data>`.
    pub fn new(id: Option<i64>, event: &str, data: &str) -> Self {
        debug_assert!(!event.contains(['\n', '\r']) && !data.contains(['\n', '\r']));
        let mut buf = BytesMut::with_capacity(data.len() + event.len() + 40);
        if let Some(id) = id {
            buf.put_slice(b"id: ");
            buf.put_slice(id.to_string().as_bytes());
            buf.put_u8(b'\n');
        }
        buf.put_slice(b"event: ");
        buf.put_slice(event.as_bytes());
        buf.put_slice(b"\ndata: ");
        buf.put_slice(data.as_bytes());
        buf.put_slice(b"\n\n");
        Self(buf.freeze())
    }

    /// A comment line, which clients ignore (a heartbeat).
    pub fn comment(text: &str) -> Self {
        Self(Bytes::from(format!(": {text}\n\n")))
    }

    pub fn bytes(&self) -> &Bytes {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_has_its_id_event_and_data_lines_then_a_blank_line() {
        let frame = Frame::new(Some(42), "LessonDrafted", r#"{"a":"b\nc"}"#);
        assert_eq!(
            frame.bytes().as_ref(),
            b"id: 42\nevent: LessonDrafted\ndata: {\"a\":\"b\\nc\"}\n\n"
        );
        let no_id = Frame::new(None, "checkpoint", "{}");
        assert_eq!(no_id.bytes().as_ref(), b"event: checkpoint\ndata: {}\n\n");
        assert_eq!(
            Frame::comment("heartbeat").bytes().as_ref(),
            b": heartbeat\n\n"
        );
    }

    /// The rendering is the one axum's `Event` gives, which clients are known to read.
    #[tokio::test]
    async fn a_frame_is_what_axum_s_event_writes() {
        use axum::response::IntoResponse;
        use axum::response::sse::{Event, Sse};
        use http_body_util::BodyExt;

        let event = Event::default()
            .id("7")
            .event("ContentRequested")
            .data(r#"{"x":1}"#);
        let stream = futures::stream::iter([Ok::<_, std::convert::Infallible>(event)]);
        let body = Sse::new(stream).into_response().into_body();
        let written = body.collect().await.unwrap().to_bytes();
        let frame = Frame::new(Some(7), "ContentRequested", r#"{"x":1}"#);
        assert_eq!(frame.bytes(), &written);
    }
}
