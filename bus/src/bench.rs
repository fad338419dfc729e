//! What `lectern bench relay` needs beside [`crate::Relay::run_until`]: JetStream's raw
//! pipelined publish rate, measured the way the relay publishes (same window, same
//! messages, acks awaited in order) but without the store and without ordering headers.

use std::time::{Duration, Instant};

use async_nats::jetstream::{self, message::PublishMessage as Publish};
use futures::stream::{FuturesOrdered, StreamExt};

use crate::{Error, envelope::Outbound};

/// The result of [`raw_publish`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawPublishRun {
    pub messages: u64,
    pub elapsed: Duration,
}

impl RawPublishRun {
    pub fn per_second(&self) -> f64 {
        self.messages as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }
}

/// Publish `messages` with up to `window` acks in flight, awaited in order. Use a stream
/// of its own (not the events stream: the relay resyncs from that stream's last message).
/// The messages keep their headers, `Nats-Msg-Id` included, so JetStream does the same
/// dedup work as for the relay.
pub async fn raw_publish(
    js: &jetstream::Context,
    messages: impl IntoIterator<Item = Outbound>,
    window: usize,
) -> Result<RawPublishRun, Error> {
    let window = window.max(1);
    let started = Instant::now();
    let mut in_flight = FuturesOrdered::new();
    let mut count: u64 = 0;
    for message in messages {
        if in_flight.len() >= window
            && let Some(ack) = in_flight.next().await
        {
            ack_of(ack)?;
        }
        let publish = Publish::build()
            .payload(message.body)
            .headers(message.headers);
        let ack = js
            .send_publish(message.subject, publish)
            .await
            .map_err(|e| Error::jetstream("publishing", e))?;
        in_flight.push_back(ack.into_future());
        count += 1;
    }
    while let Some(ack) = in_flight.next().await {
        ack_of(ack)?;
    }
    Ok(RawPublishRun {
        messages: count,
        elapsed: started.elapsed(),
    })
}

fn ack_of(
    ack: Result<jetstream::publish::PublishAck, jetstream::context::PublishError>,
) -> Result<(), Error> {
    ack.map(|_| ())
        .map_err(|e| Error::jetstream("awaiting a publish ack", e))
}
