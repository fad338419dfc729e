//! Checkpoints: the last position a named follower of the log has handled.

use sqlx::PgExecutor;

/// The checkpoint of `name`, 0 when it has none.
pub async fn load<'e>(db: impl PgExecutor<'e>, name: &str) -> Result<i64, sqlx::Error> {
    let position: Option<i64> =
        sqlx::query_scalar("SELECT position FROM es.checkpoints WHERE name = $1")
            .bind(name)
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
    sqlx::query(
        "INSERT INTO es.checkpoints (name, position) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE
            SET position = GREATEST(es.checkpoints.position, EXCLUDED.position),
                updated_at = now()",
    )
    .bind(name)
    .bind(position)
    .execute(db)
    .await?;
    Ok(())
}

/// Set the checkpoint of `name` exactly (used by rebuilds, which start over).
pub async fn reset<'e>(
    db: impl PgExecutor<'e>,
    name: &str,
    position: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO es.checkpoints (name, position) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()",
    )
    .bind(name)
    .bind(position)
    .execute(db)
    .await?;
    Ok(())
}
