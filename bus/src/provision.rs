//! Provisioning: the events stream exists, with the subjects and dedup window of this bus.

use async_nats::jetstream::Context;
use async_nats::jetstream::ErrorCode;
use async_nats::jetstream::context::CreateStreamErrorKind;
use async_nats::jetstream::stream::Stream;

use crate::{BusConfig, Error};

/// Get the bus's stream, creating it if it does not exist. Safe to call from several
/// processes at once and at every start. An existing stream with other subjects is an
/// error; one with a shorter dedup window gets this bus's window (it only ever grows, so
/// processes configured differently do not flip it back and forth).
pub async fn ensure_stream(js: &Context, bus: &BusConfig) -> Result<Stream, Error> {
    bus.validate()?;
    let wanted = bus.stream_config();
    let stream = match js.get_or_create_stream(wanted.clone()).await {
        Ok(stream) => stream,
        // Another process created it between our lookup and our create.
        Err(e)
            if matches!(e.kind(), CreateStreamErrorKind::JetStream(ref je)
                if je.error_code() == ErrorCode::STREAM_NAME_EXIST) =>
        {
            js.get_stream(&bus.stream_name)
                .await
                .map_err(|e| Error::jetstream("looking up the events stream", e))?
        }
        Err(e) => {
            return Err(Error::jetstream(
                "looking up or creating the events stream",
                e,
            ));
        }
    };
    let actual = stream.cached_info().config.clone();
    if actual.subjects != wanted.subjects {
        return Err(Error::StreamSubjects {
            stream: bus.stream_name.clone(),
            expected: wanted.subjects,
            actual: actual.subjects,
        });
    }
    if actual.duplicate_window < wanted.duplicate_window {
        tracing::info!(
            stream = %bus.stream_name,
            from = ?actual.duplicate_window,
            to = ?wanted.duplicate_window,
            "updating the duplicate window of the events stream"
        );
        let config = async_nats::jetstream::stream::Config {
            duplicate_window: wanted.duplicate_window,
            ..actual
        };
        js.update_stream(config)
            .await
            .map_err(|e| Error::jetstream("updating the events stream", e))?;
        return js
            .get_stream(&bus.stream_name)
            .await
            .map_err(|e| Error::jetstream("looking up the events stream", e));
    }
    Ok(stream)
}
