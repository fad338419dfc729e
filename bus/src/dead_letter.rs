//! Dead letters: messages a consumer gave up on, kept in `es.dead_letters` for an operator.

use sqlx::PgExecutor;
use uuid::Uuid;

/// A message a consumer terminated instead of handling.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DeadLetter {
    /// The durable consumer's name.
    pub consumer: String,
    pub subject: String,
    /// The JetStream stream sequence of the message.
    pub stream_seq: i64,
    /// Known when the body decoded as an event.
    pub event_id: Option<Uuid>,
    pub position: Option<i64>,
    /// Deliveries of the message, the last one included.
    pub deliveries: i64,
    pub error: String,
    /// The message body as received.
    pub payload: Vec<u8>,
}

/// Record a dead letter. Once per consumer and stream sequence: recording the same
/// message again (a redelivery after a failed term) writes nothing.
pub async fn record<'e>(db: impl PgExecutor<'e>, letter: &DeadLetter) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO es.dead_letters
                (consumer, subject, stream_seq, event_id, position, deliveries, error, payload)
         SELECT $1::text, $2::text, $3::bigint, $4::uuid, $5::bigint, $6::bigint, $7::text,
                $8::bytea
          WHERE NOT EXISTS (SELECT 1 FROM es.dead_letters
                             WHERE consumer = $1 AND stream_seq = $3)",
        letter.consumer,
        letter.subject,
        letter.stream_seq,
        letter.event_id,
        letter.position,
        letter.deliveries,
        letter.error,
        letter.payload,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The dead letters of one consumer, oldest first.
pub async fn list<'e>(
    db: impl PgExecutor<'e>,
    consumer: &str,
) -> Result<Vec<DeadLetter>, sqlx::Error> {
    sqlx::query_as!(
        DeadLetter,
        "SELECT consumer, subject, stream_seq, event_id, position, deliveries, error, payload
           FROM es.dead_letters WHERE consumer = $1 ORDER BY id",
        consumer,
    )
    .fetch_all(db)
    .await
}
