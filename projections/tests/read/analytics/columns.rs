//! Every column of the analytics tables is commented for the analysts, also after a
//! rebuild.

use projections::analytics::daily_activity::DailyActivity;
use projections::rebuild;

use crate::world;

const TABLES: [&str; 7] = [
    "lesson_funnel",
    "lesson_funnel_progress",
    "agent_performance_steps",
    "class_dashboard",
    "class_dashboard_progress",
    "daily_activity",
    "daily_activity_streams",
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
async fn every_analytics_column_is_commented_also_after_a_rebuild() -> anyhow::Result<()> {
    let world = world().await?;
    let columns: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM information_schema.columns
          WHERE table_schema = 'read' AND table_name = ANY($1)",
    )
    .bind(TABLES)
    .fetch_one(&world.db.pool)
    .await?;
    assert_eq!(columns, 7 + 4 + 6 + 9 + 4 + 5 + 3);
    assert_eq!(uncommented(&world.db.pool).await?, Vec::<String>::new());
    rebuild(&world.db.pool, &DailyActivity, |_, _| {}).await?;
    assert_eq!(uncommented(&world.db.pool).await?, Vec::<String>::new());
    Ok(())
}
