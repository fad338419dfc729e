//! Missing events: deleted rows, at the start, in the middle, at the end.

use eventstore::audit::BreakKind;

use super::{exec, expect_break, filled};

#[tokio::test]
async fn a_deleted_event_is_missing() -> anyhow::Result<()> {
    let db = filled(20).await?;
    exec(&db, "DELETE FROM es.events WHERE position = 7").await?;
    expect_break(&db, 7, BreakKind::Missing).await?;

    // The last event: the head is beyond the last row.
    let db = filled(20).await?;
    exec(&db, "DELETE FROM es.events WHERE position = 20").await?;
    expect_break(&db, 20, BreakKind::Missing).await?;

    // The last events, with the head moved back: its hash is no longer the last row's.
    let db = filled(20).await?;
    exec(
        &db,
        "DELETE FROM es.events WHERE position > 17;
         UPDATE es.log_head SET position = 17",
    )
    .await?;
    expect_break(&db, 18, BreakKind::Missing).await?;

    // The first event.
    let db = filled(5).await?;
    exec(&db, "DELETE FROM es.events WHERE position = 1").await?;
    expect_break(&db, 1, BreakKind::Missing).await?;
    Ok(())
}
