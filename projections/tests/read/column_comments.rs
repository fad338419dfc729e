//! The columns of the classes, rosters, content requests, progress and parent links are
//! commented for the analysts who read them with plain SQL, also after a rebuild.

use projections::classes::Classes;
use projections::rebuild;

use crate::world;

const TABLES: [&str; 5] = [
    "classes",
    "class_members",
    "content_requests",
    "student_progress",
    "parent_links",
];

async fn uncommented(pool: &sqlx::PgPool) -> anyhow::Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT c.table_name || '.' || c.column_name
           FROM information_schema.columns c
          WHERE c.table_schema = 'read' AND c.table_name = ANY($1)
            AND col_description(format('read.%I', c.table_name)::regclass,
                                c.ordinal_position::int) IS NULL
          ORDER BY 1",
    )
    .bind(TABLES)
    .fetch_all(pool)
    .await?)
}

#[tokio::test]
async fn every_column_is_commented_also_after_a_rebuild() -> anyhow::Result<()> {
    let world = world().await?;
    let columns: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM information_schema.columns
          WHERE table_schema = 'read' AND table_name = ANY($1)",
    )
    .bind(TABLES)
    .fetch_one(&world.db.pool)
    .await?;
    assert_eq!(columns, 13 + 3 + 16 + 11 + 3);
    assert_eq!(uncommented(&world.db.pool).await?, Vec::<String>::new());
    rebuild(&world.db.pool, &Classes, |_, _| {}).await?;
    assert_eq!(uncommented(&world.db.pool).await?, Vec::<String>::new());
    Ok(())
}
