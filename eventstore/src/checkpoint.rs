//! Checkpoints: the last position a named follower of the log has handled.
//!
//! Every save (and reset) also notifies [`CHECKPOINT_CHANNEL`] with `<name> <position>`
//! (the position now stored), delivered when its transaction commits: the API's live feed
//! of read-model checkpoints follows them there without polling.

use sqlx::PgExecutor;

/// The NOTIFY channel that carries `<name> <position>` after each checkpoint save.
pub const CHECKPOINT_CHANNEL: &str = "lectern_checkpoints";

/// The checkpoint of `name`, 0 when it has none.
pub async fn load<'e>(db: impl PgExecutor<'e>, name: &str) -> Result<i64, sqlx::Error> {
    let position = sqlx::query_scalar!("SELECT position FROM es.checkpoints WHERE name = $1", name)
        .fetch_optional(db)
        .await?;
    Ok(position.unwrap_or(0))
}

/// Record that `name` has handled everything up to `position`. Never moves backwards.
pub async fn save<'e>(
    db: impl PgExecutor<'e>,
    name: &str,
    position: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "WITH saved AS (
            INSERT INTO es.checkpoints (name, position) VALUES ($1, $2)
            ON CONFLICT (name) DO UPDATE
               SET position = GREATEST(es.checkpoints.position, EXCLUDED.position),
                   updated_at = now()
            RETURNING name, position)
         SELECT pg_notify($3, name || ' ' || position) FROM saved",
        name,
        position,
        CHECKPOINT_CHANNEL,
    )
    .fetch_optional(db)
    .await?;
    Ok(())
}

/// Set the checkpoint of `name` exactly (used by rebuilds, which start over).
pub async fn reset<'e>(
    db: impl PgExecutor<'e>,
    name: &str,
    position: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "WITH saved AS (
            INSERT INTO es.checkpoints (name, position) VALUES ($1, $2)
            ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()
            RETURNING name, position)
         SELECT pg_notify($3, name || ' ' || position) FROM saved",
        name,
        position,
        CHECKPOINT_CHANNEL,
    )
    .fetch_optional(db)
    .await?;
    Ok(())
}
