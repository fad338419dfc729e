//! Rebuild a read model from the store into fresh tables, then swap them in at once, so
//! readers never see a half-built model.

use std::time::Instant;

use eventstore::{checkpoint, read};
use sqlx::PgPool;

use crate::apply::{CHUNK, apply_range, lock_checkpoint};
use crate::{Projection, ProjectionError, checkpoint_name};

/// What a rebuild did.
#[derive(Debug, Clone, Copy)]
pub struct Rebuilt {
    /// The log position the rebuilt model reflects.
    pub position: i64,
    pub seconds: f64,
}

/// Rebuild `projection` from the whole log. `progress(done, total)` is called after each
/// chunk (positions, not events). Live workers may keep running: the swap waits for the
/// transaction they are in, catches up what they applied meanwhile, and moves their
/// checkpoint to the rebuilt model's.
pub async fn rebuild<P: Projection>(
    pool: &PgPool,
    projection: &P,
    mut progress: impl FnMut(i64, i64),
) -> Result<Rebuilt, ProjectionError> {
    let started = Instant::now();
    let fresh = format!("rebuild_{}", projection.name());
    let retired = format!("retired_{}", projection.name());
    prepare_schema(pool, projection, &fresh).await?;

    // Bulk of the work, outside any lock: chunks of the log into the fresh tables.
    let target = read::head(pool).await?;
    let mut done = 0;
    while done < target {
        let to = target.min(done + CHUNK * 4);
        let mut tx = pool.begin().await?;
        set_search_path(&mut tx, &fresh).await?;
        apply_range(&mut tx, projection, done, to).await?;
        tx.commit().await?;
        done = to;
        progress(done, target);
    }

    // The swap: under the checkpoint lock, catch up what was appended meanwhile, then move
    // the fresh tables into `read` in one transaction.
    let mut tx = pool.begin().await?;
    lock_checkpoint(&mut tx, &checkpoint_name(projection)).await?;
    let head = read::head(&mut *tx).await?;
    set_search_path(&mut tx, &fresh).await?;
    apply_range(&mut tx, projection, done, head).await?;
    execute(&mut tx, format!("DROP SCHEMA IF EXISTS {retired} CASCADE")).await?;
    execute(&mut tx, format!("CREATE SCHEMA {retired}")).await?;
    for table in projection.tables() {
        copy_grants(&mut tx, table, &fresh).await?;
        execute(
            &mut tx,
            format!("ALTER TABLE read.{table} SET SCHEMA {retired}"),
        )
        .await?;
        execute(
            &mut tx,
            format!("ALTER TABLE {fresh}.{table} SET SCHEMA read"),
        )
        .await?;
    }
    execute(&mut tx, format!("DROP SCHEMA {retired} CASCADE")).await?;
    execute(&mut tx, format!("DROP SCHEMA {fresh} CASCADE")).await?;
    checkpoint::reset(&mut *tx, &checkpoint_name(projection), head).await?;
    tx.commit().await?;
    Ok(Rebuilt {
        position: head,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// A fresh schema with empty copies of the projection's tables (columns, defaults,
/// constraints and indexes).
async fn prepare_schema<P: Projection>(
    pool: &PgPool,
    projection: &P,
    fresh: &str,
) -> Result<(), ProjectionError> {
    let mut tx = pool.begin().await?;
    execute(&mut tx, format!("DROP SCHEMA IF EXISTS {fresh} CASCADE")).await?;
    execute(&mut tx, format!("CREATE SCHEMA {fresh}")).await?;
    for table in projection.tables() {
        execute(
            &mut tx,
            format!("CREATE TABLE {fresh}.{table} (LIKE read.{table} INCLUDING ALL)"),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Give the fresh table the grants the live one has (e.g. the analysts' SELECT), which
/// `CREATE TABLE … LIKE` does not copy.
async fn copy_grants(
    conn: &mut sqlx::PgConnection,
    table: &str,
    fresh: &str,
) -> Result<(), sqlx::Error> {
    let grants: Vec<String> = sqlx::query_scalar!(
        r#"SELECT format('GRANT %s ON %I.%I TO %I', privilege_type, $2::text, table_name, grantee)
                  AS "grant!"
             FROM information_schema.role_table_grants
            WHERE table_schema = 'read' AND table_name = $1
              AND grantee NOT IN (current_user, 'PUBLIC')"#,
        table,
        fresh
    )
    .fetch_all(&mut *conn)
    .await?;
    for grant in grants {
        execute(conn, grant).await?;
    }
    Ok(())
}

async fn set_search_path(conn: &mut sqlx::PgConnection, schema: &str) -> Result<(), sqlx::Error> {
    execute(conn, format!("SET LOCAL search_path TO {schema}")).await
}

/// DDL built from a projection's static names (never from user input).
async fn execute(conn: &mut sqlx::PgConnection, sql: String) -> Result<(), sqlx::Error> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(conn)
        .await?;
    Ok(())
}
