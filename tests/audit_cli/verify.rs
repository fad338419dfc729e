//! `lectern audit verify`: exit 0 when the hash chain holds, 1 with where it breaks.

use crate::{Fixture, succeeded, text};

#[tokio::test]
async fn verify_exits_0_when_the_chain_holds_and_1_with_the_break() {
    let fx = Fixture::new().await;
    fx.append(1_500).await;

    let clean = fx.run(&["audit", "verify"]).await;
    succeeded(&clean);
    let stdout = text(&clean.stdout);
    assert!(
        stdout.starts_with("clean: 1500 events verified"),
        "{stdout}"
    );

    sqlx::query(
        "UPDATE es.events SET payload = jsonb_set(payload, '{n}', '999') WHERE position = 700",
    )
    .execute(&fx.db.pool)
    .await
    .unwrap();
    let broken = fx.run(&["audit", "verify"]).await;
    assert_eq!(broken.status.code(), Some(1), "{}", text(&broken.stderr));
    let stdout = text(&broken.stdout);
    assert!(
        stdout.starts_with("BROKEN at position 700: altered"),
        "{stdout}"
    );
}
