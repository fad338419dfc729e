//! Advancing a projection: apply the store's events up to a position, and the projection's
//! checkpoint, in one transaction.
//!
//! The store is the source of truth: a batch from the bus only says how far to go. The
//! events applied are read from the log between the checkpoint and that position, so a
//! redelivered, duplicated or reordered message can neither apply an event twice nor skip
//! one. The checkpoint row is locked first, so two workers (or a worker and a rebuild's
//! swap) never apply the same range at once.

use eventstore::{LogFilter, checkpoint, read};
use futures::TryStreamExt;
use sqlx::{PgConnection, PgPool};

use crate::{Projection, ProjectionError, checkpoint_name};

/// Most events applied in one transaction.
pub const CHUNK: i64 = 5_000;

/// Apply everything up to `until` (inclusive); returns the checkpoint afterwards.
pub async fn advance_to<P: Projection>(
    pool: &PgPool,
    projection: &P,
    until: i64,
) -> Result<i64, ProjectionError> {
    loop {
        let started = std::time::Instant::now();
        let mut tx = pool.begin().await?;
        sqlx::query("SET LOCAL search_path TO read")
            .execute(&mut *tx)
            .await?;
        let from = lock_checkpoint(&mut tx, &checkpoint_name(projection)).await?;
        if from >= until {
            tx.rollback().await?;
            return Ok(from);
        }
        let to = until.min(from + CHUNK);
        apply_range(&mut tx, projection, from, to).await?;
        checkpoint::save(&mut *tx, &checkpoint_name(projection), to).await?;
        tx.commit().await?;
        metrics::histogram!(crate::metric::APPLY_SECONDS, "projection" => projection.name())
            .record(started.elapsed().as_secs_f64());
        if to >= until {
            return Ok(to);
        }
    }
}

/// Apply the projection's events with positions in `(from, to]` on `conn`.
pub(crate) async fn apply_range<P: Projection>(
    conn: &mut PgConnection,
    projection: &P,
    from: i64,
    to: i64,
) -> Result<(), ProjectionError> {
    let filter = LogFilter::categories(projection.categories().iter().copied());
    let events: Vec<_> = read::log_until(&mut *conn, from, to, &filter, i64::MAX)
        .try_collect()
        .await?;
    if !events.is_empty() {
        projection.apply(conn, &events).await?;
        // One transaction applies the whole range; each event still gets its span (a child,
        // for the logs and a tracer, of the request that caused it) with one line in it.
        for event in &events {
            eventstore::trace::event_span(projection.name(), event)
                .in_scope(|| tracing::debug!("applied"));
        }
    }
    Ok(())
}

/// The checkpoint of `name`, locked until the transaction ends (created at 0 if missing).
pub(crate) async fn lock_checkpoint(
    conn: &mut PgConnection,
    name: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query!(
        "INSERT INTO es.checkpoints (name, position) VALUES ($1, 0) ON CONFLICT DO NOTHING",
        name
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar!(
        "SELECT position FROM es.checkpoints WHERE name = $1 FOR UPDATE",
        name
    )
    .fetch_one(&mut *conn)
    .await
}

/// How far a projection has applied the log.
pub async fn position<P: Projection>(pool: &PgPool, projection: &P) -> Result<i64, sqlx::Error> {
    checkpoint::load(pool, &checkpoint_name(projection)).await
}
