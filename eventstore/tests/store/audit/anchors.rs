//! Anchors: recorded at append time, a start for verify, and what catches a recomputed
//! chain.

use eventstore::audit::{self, BreakKind, ChainHash, VerifyStart};

use super::{exec, expect_break, filled, rechain};

#[tokio::test]
async fn anchors_are_recorded_and_verify_can_start_from_one() -> anyhow::Result<()> {
    let db = filled(35).await?;
    let anchors = audit::anchors::list(&db.pool, 0, 100).await?;
    assert_eq!(
        anchors.iter().map(|a| a.position).collect::<Vec<_>>(),
        [10, 20, 30]
    );
    for anchor in &anchors {
        let stored: Vec<u8> = sqlx::query_scalar("SELECT hash FROM es.events WHERE position = $1")
            .bind(anchor.position)
            .fetch_one(&db.pool)
            .await?;
        assert_eq!(ChainHash::from_slice(&stored), Some(anchor.hash));
        assert!(anchor.recorded_at.is_some());
    }

    let report = audit::verify(&db.pool, Some(27), |_| {}).await?;
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.start, VerifyStart::Anchor { anchor: anchors[1] });
    assert_eq!(report.checked, 15);
    assert_eq!(
        (report.first_position, report.last_position),
        (Some(21), Some(35))
    );
    // Below the first anchor: from the beginning.
    let report = audit::verify(&db.pool, Some(9), |_| {}).await?;
    assert_eq!(report.start, VerifyStart::Beginning);
    assert_eq!(report.checked, 35);

    // Tampering before the anchor is outside a verify from it, not outside a full one.
    exec(
        &db,
        "UPDATE es.events SET payload = '{\"title\": \"x\"}' WHERE position = 5",
    )
    .await?;
    let from_anchor = audit::verify(&db.pool, Some(27), |_| {}).await?;
    assert!(from_anchor.is_clean(), "{from_anchor:?}");
    let after_it = audit::verify(&db.pool, Some(30), |_| {}).await?;
    assert!(after_it.is_clean());
    expect_break(&db, 5, BreakKind::Altered).await?;

    // Tampering after it is found from it.
    exec(&db, "DELETE FROM es.events WHERE position = 33").await?;
    let report = audit::verify(&db.pool, Some(31), |_| {}).await?;
    let broken = report.broken.expect("a break");
    assert_eq!((broken.position, broken.kind), (33, BreakKind::Missing));
    Ok(())
}

/// Someone who alters an event and recomputes every hash after it (and the head's) gets a
/// consistent chain; the anchor recorded at append time still tells.
#[tokio::test]
async fn a_recomputed_chain_disagrees_with_the_anchor() -> anyhow::Result<()> {
    let db = filled(25).await?;
    exec(
        &db,
        "UPDATE es.events SET payload = '{\"title\": \"rewritten\"}' WHERE position = 5",
    )
    .await?;
    rechain(&db).await?;

    expect_break(&db, 10, BreakKind::Altered).await?;
    // From a later anchor: the row there no longer holds the anchor's hash.
    let report = audit::verify(&db.pool, Some(24), |_| {}).await?;
    let broken = report.broken.expect("a break");
    assert_eq!((broken.position, broken.kind), (20, BreakKind::Altered));
    Ok(())
}
