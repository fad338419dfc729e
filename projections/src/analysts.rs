//! Plain SQL for analysts: a PostgreSQL login role that may read schema `read` and nothing
//! else (not `es`, not `api`). Rebuilds keep its grants (see `rebuild`).

use sqlx::PgPool;

/// The role `lectern analyst-role create` makes.
pub const ANALYST_ROLE: &str = "lectern_analyst";

/// Create (or update) login role `role` with `password`, allowed to connect to this
/// database and to SELECT every table of schema `read`, now and later.
pub async fn grant_read_only(pool: &PgPool, role: &str, password: &str) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    // Role names cannot be bound as parameters: quote them server-side with format().
    // The casts say what the binds do anyway (text): format() alone gives $2 no type to
    // describe.
    let statements: Vec<String> = sqlx::query_scalar!(
        r#"SELECT unnest(ARRAY[
            CASE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = $1::text)
                 THEN format('ALTER ROLE %I LOGIN PASSWORD %L', $1, $2::text)
                 ELSE format('CREATE ROLE %I LOGIN PASSWORD %L', $1, $2) END,
            format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), $1),
            format('GRANT USAGE ON SCHEMA read TO %I', $1),
            format('GRANT SELECT ON ALL TABLES IN SCHEMA read TO %I', $1),
            format('ALTER DEFAULT PRIVILEGES IN SCHEMA read GRANT SELECT ON TABLES TO %I', $1),
            format('REVOKE ALL ON SCHEMA es FROM %I', $1)
        ]) AS "statement!""#,
        role,
        password
    )
    .fetch_all(&mut *tx)
    .await?;
    for statement in statements {
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}
