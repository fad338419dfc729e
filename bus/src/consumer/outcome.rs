//! What happens to a batch: hand it to the handler (with in-progress acks while it works),
//! then ack, nak with a delay, or terminate and dead-letter each message.

use std::future::Future;
use std::time::Duration;

use async_nats::jetstream::{AckKind, Message};
use eventstore::RecordedEvent;

use super::{Consumer, Handler, HandlerError};
use crate::dead_letter::{self, DeadLetter};
use crate::envelope;
use crate::error::report;

/// How long to wait before trying again when a dead letter could not be written.
const DEAD_LETTER_RETRY: Duration = Duration::from_secs(5);

pub(super) async fn process<H: Handler>(consumer: &Consumer, handler: &mut H, batch: Vec<Message>) {
    let mut messages = Vec::with_capacity(batch.len());
    let mut events = Vec::with_capacity(batch.len());
    for message in batch {
        if deliveries(&message) > 1 {
            metrics::counter!(crate::metric::CONSUMER_REDELIVERIES, "consumer" => consumer.config.name.clone())
                .increment(1);
        }
        match envelope::decode(&message.payload) {
            Ok(event) => {
                messages.push(message);
                events.push(event);
            }
            Err(error) => {
                give_up(consumer, &message, None, report(&error)).await;
            }
        }
    }
    if messages.is_empty() {
        return;
    }
    let result = keep_alive(consumer, &messages, handler.handle(&events)).await;
    match result {
        Err(HandlerError::Permanent(_)) if messages.len() > 1 => {
            // Which event is the poison? Try them one by one; the others go through.
            for i in 0..messages.len() {
                let one = std::slice::from_ref(&events[i]);
                let result = keep_alive(consumer, &messages[i..], handler.handle(one)).await;
                settle(consumer, handler, &messages[i], &events[i], &result).await;
            }
        }
        result => {
            for (message, event) in messages.iter().zip(&events) {
                settle(consumer, handler, message, event, &result).await;
            }
        }
    }
}

/// Run `work`, sending in-progress acks for `messages` every `ack_wait / 3` meanwhile.
async fn keep_alive<T>(
    consumer: &Consumer,
    messages: &[Message],
    work: impl Future<Output = T>,
) -> T {
    let period = consumer.config.ack_wait / 3;
    let mut heartbeat = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    tokio::pin!(work);
    loop {
        tokio::select! {
            result = &mut work => return result,
            _ = heartbeat.tick() => {
                for message in messages {
                    if let Err(error) = message.ack_with(AckKind::Progress).await {
                        tracing::debug!(error = %report(&*error), "in-progress ack failed");
                    }
                }
            }
        }
    }
}

async fn settle<H: Handler>(
    consumer: &Consumer,
    handler: &mut H,
    message: &Message,
    event: &RecordedEvent,
    result: &Result<(), HandlerError>,
) {
    let acked = match result {
        Ok(()) => message.ack().await,
        Err(HandlerError::Transient { retry_in, source }) => {
            if deliveries(message) < consumer.config.max_deliver {
                tracing::debug!(position = event.position, error = %report(&**source), "nak");
                message.ack_with(AckKind::Nak(Some(*retry_in))).await
            } else {
                let error = report(&**source);
                if give_up(consumer, message, Some(event), error.clone()).await {
                    handler.gave_up(event, &error).await;
                }
                return;
            }
        }
        Err(HandlerError::Permanent(source)) => {
            let error = report(&**source);
            if give_up(consumer, message, Some(event), error.clone()).await {
                handler.gave_up(event, &error).await;
            }
            return;
        }
    };
    if let Err(error) = acked {
        // The message comes again after ack_wait; handlers are idempotent.
        tracing::warn!(position = event.position, error = %report(&*error), "could not ack");
    }
}

/// Record a dead letter, then terminate the message; true when the dead letter was
/// recorded. If the record cannot be written, the message is nak'ed instead, to be
/// dead-lettered on its next delivery.
async fn give_up(
    consumer: &Consumer,
    message: &Message,
    event: Option<&RecordedEvent>,
    error: String,
) -> bool {
    let Ok(info) = message.info() else {
        tracing::warn!(subject = %message.subject, "not a JetStream message; cannot dead-letter it");
        return false;
    };
    let letter = DeadLetter {
        consumer: consumer.config.name.clone(),
        subject: message.subject.to_string(),
        stream_seq: i64::try_from(info.stream_sequence).unwrap_or(i64::MAX),
        event_id: event.map(|e| e.event_id),
        position: event.map(|e| e.position),
        deliveries: info.delivered,
        error,
        payload: message.payload.to_vec(),
    };
    let recorded = dead_letter::record(&consumer.pool, &letter).await;
    let kind = match recorded {
        Ok(()) => {
            metrics::counter!(crate::metric::CONSUMER_DEAD_LETTERS, "consumer" => letter.consumer.clone())
                .increment(1);
            tracing::warn!(
                consumer = %letter.consumer,
                stream_seq = letter.stream_seq,
                position = ?letter.position,
                deliveries = letter.deliveries,
                error = %letter.error,
                "dead-lettered a message"
            );
            AckKind::Term
        }
        Err(db_error) => {
            tracing::warn!(error = %report(&db_error), "could not write a dead letter; will retry");
            AckKind::Nak(Some(DEAD_LETTER_RETRY))
        }
    };
    let recorded = matches!(kind, AckKind::Term);
    if let Err(error) = message.ack_with(kind).await {
        tracing::warn!(error = %report(&*error), "could not terminate a dead-lettered message");
    }
    recorded
}

fn deliveries(message: &Message) -> i64 {
    message.info().map_or(1, |info| info.delivered)
}
