//! A projection that counts what it applies: any event applied twice shows.

use eventstore::RecordedEvent;
use projections::{Projection, ProjectionError, advance_to};
use sqlx::PgConnection;

#[derive(Clone, Copy)]
pub struct Counting;

impl Projection for Counting {
    fn name(&self) -> &'static str {
        "counting"
    }
    fn categories(&self) -> &'static [&'static str] {
        &["lesson"]
    }
    fn tables(&self) -> &'static [&'static str] {
        &["applied"]
    }
    async fn apply(
        &self,
        conn: &mut PgConnection,
        events: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        {
            for e in events {
                sqlx::query(
                    "INSERT INTO applied (position, times) VALUES ($1, 1)
                             ON CONFLICT (position) DO UPDATE SET times = applied.times + 1",
                )
                .bind(e.position)
                .execute(&mut *conn)
                .await?;
            }
            Ok(())
        }
    }
}

pub async fn create_table(pool: &sqlx::PgPool) -> anyhow::Result<()> {
    sqlx::query("CREATE TABLE read.applied (position bigint PRIMARY KEY, times int NOT NULL)")
        .execute(pool)
        .await?;
    Ok(())
}

/// (events applied, most times any one was applied)
pub async fn tally(pool: &sqlx::PgPool) -> anyhow::Result<(i64, i32)> {
    Ok(
        sqlx::query_as("SELECT count(*), coalesce(max(times), 0) FROM read.applied")
            .fetch_one(pool)
            .await?,
    )
}

#[tokio::test]
async fn advancing_to_a_position_already_applied_applies_nothing_again() -> anyhow::Result<()> {
    let world = crate::world().await?;
    create_table(&world.db.pool).await?;
    crate::some_lessons(&world, 5).await?;
    let head = eventstore::read::head(&world.db.pool).await?;
    advance_to(&world.db.pool, &Counting, head).await?;
    // Redelivered batches ask for positions already applied, earlier ones too.
    for until in [head, 3, 1, head] {
        advance_to(&world.db.pool, &Counting, until).await?;
    }
    assert_eq!(tally(&world.db.pool).await?, (head, 1));
    Ok(())
}
