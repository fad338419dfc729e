//! Altered events: a changed payload or metadata, a changed stored hash.

use eventstore::audit::BreakKind;

use super::{exec, expect_break, filled};

#[tokio::test]
async fn a_payload_changed_by_one_character_is_altered() -> anyhow::Result<()> {
    let db = filled(20).await?;
    // "Photosynthesis 005" -> "Photosynthesiz 005"
    exec(
        &db,
        "UPDATE es.events
            SET payload = jsonb_set(payload, '{title}',
                  to_jsonb(overlay(payload->>'title' placing 'z' from 14 for 1)))
          WHERE position = 5",
    )
    .await?;
    let report = expect_break(&db, 5, BreakKind::Altered).await?;
    assert_eq!(report.last_position, Some(4));

    // The last event: the head's hash is the chain's.
    let db2 = filled(20).await?;
    exec(
        &db2,
        "UPDATE es.events SET metadata = metadata || '{\"actor_role\": \"admin\"}'
          WHERE position = 20",
    )
    .await?;
    expect_break(&db2, 20, BreakKind::Altered).await?;
    Ok(())
}

#[tokio::test]
async fn a_changed_stored_hash_is_altered() -> anyhow::Result<()> {
    let db = filled(12).await?;
    exec(
        &db,
        "UPDATE es.events SET hash = sha256('forged'::bytea) WHERE position = 4",
    )
    .await?;
    let report = expect_break(&db, 4, BreakKind::Altered).await?;
    let detail = report.broken.map(|b| b.detail).unwrap_or_default();
    assert!(detail.contains("stored hash"), "{detail}");
    Ok(())
}
