use eventstore::{AppendError, ExpectedVersion::NoStream, Reservation};

use crate::{lesson_stream, one, store};

#[tokio::test]
async fn two_racing_reservations_of_one_username_let_exactly_one_win() -> anyhow::Result<()> {
    let (db, store) = store().await?;
    // A second appender process on its own pool races the first.
    let other = eventstore::EventStore::start(db.new_pool(4).await?).await?;
    for round in 0..20 {
        let name = format!("ada{round}");
        let (a, b) = tokio::join!(
            store.append(
                one(&lesson_stream(), NoStream).reserve(Reservation::new("username", &name))
            ),
            other.append(
                one(&lesson_stream(), NoStream).reserve(Reservation::new("username", &name))
            ),
        );
        let wins = [&a, &b].iter().filter(|r| r.is_ok()).count();
        assert_eq!(wins, 1, "round {round}: {a:?} / {b:?}");
        let loser = if a.is_err() { a } else { b };
        assert!(
            matches!(loser, Err(AppendError::ReservationTaken { ref scope, ref value }) if scope == "username" && *value == name)
        );
    }
    let holder = eventstore::read::reservation_holder(&db.pool, "username", "ada0").await?;
    assert!(holder.is_some_and(|s| s.starts_with("lesson-")));
    assert_eq!(
        eventstore::read::reservation_holder(&db.pool, "username", "nobody").await?,
        None
    );
    let held: i64 = sqlx::query_scalar("SELECT count(*) FROM es.reservations")
        .fetch_one(&db.pool)
        .await?;
    assert_eq!(held, 20);
    Ok(())
}

#[tokio::test]
async fn the_holder_may_claim_its_own_reservation_again() -> anyhow::Result<()> {
    let (_db, store) = store().await?;
    let stream = lesson_stream();
    let claim = Reservation::new("email", "ada@example.org");
    store
        .append(one(&stream, NoStream).reserve(claim.clone()))
        .await?;
    store
        .append(one(&stream, eventstore::ExpectedVersion::Exact(1)).reserve(claim))
        .await?;
    Ok(())
}
