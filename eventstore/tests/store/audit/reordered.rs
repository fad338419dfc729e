//! Reordered events: contents swapped, rows moved with their hashes.

use eventstore::audit::BreakKind;

use super::{exec, expect_break, filled};

#[tokio::test]
async fn swapped_contents_are_reordered() -> anyhow::Result<()> {
    let db = filled(20).await?;
    exec(
        &db,
        "UPDATE es.events e
            SET payload = o.payload, event_type = o.event_type, metadata = o.metadata
           FROM es.events o
          WHERE (e.position, o.position) IN ((6, 11), (11, 6))",
    )
    .await?;
    let report = expect_break(&db, 6, BreakKind::Reordered).await?;
    let detail = report.broken.map(|b| b.detail).unwrap_or_default();
    assert!(detail.contains("11"), "{detail}");

    // Neighbours, the later one being the head.
    let db = filled(20).await?;
    exec(
        &db,
        "UPDATE es.events e
            SET payload = o.payload, event_type = o.event_type, metadata = o.metadata
           FROM es.events o
          WHERE (e.position, o.position) IN ((19, 20), (20, 19))",
    )
    .await?;
    expect_break(&db, 19, BreakKind::Reordered).await?;

    // Whole rows moved, hashes and all.
    let db = filled(20).await?;
    exec(
        &db,
        "UPDATE es.events SET position = -1 WHERE position = 6;
         UPDATE es.events SET position = 6 WHERE position = 11;
         UPDATE es.events SET position = 11 WHERE position = -1",
    )
    .await?;
    expect_break(&db, 6, BreakKind::Reordered).await?;
    Ok(())
}
