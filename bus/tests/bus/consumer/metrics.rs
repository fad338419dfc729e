//! The consumer's metrics: redeliveries and dead letters, per consumer.

use std::time::Duration;

use bus::{ConsumerConfig, HandlerError, dead_letter, handler_fn};
use eventstore::RecordedEvent;

use super::{Calls, config, drained, publish, setup, spawn};
use crate::eventually;

/// The value of `counter` for the consumer `name`: 0 while the series does not exist.
fn counted(counter: &str, name: &str) -> f64 {
    let rendered = testkit::metrics::recorder().render();
    testkit::metrics::sample(&rendered, counter, &[("consumer", name)]).unwrap_or(0.0)
}

#[tokio::test]
async fn each_redelivery_is_counted_for_its_consumer_and_first_deliveries_are_not()
-> anyhow::Result<()> {
    testkit::metrics::recorder();
    let setup = setup().await?;
    publish(&setup, 3).await?;
    // A consumer name of this test's own: its series are ours alone.
    let name = testkit::unique_prefix();
    let calls = Calls::default();
    let seen = calls.clone();
    let handler = handler_fn(move |events: Vec<RecordedEvent>| {
        seen.record(&events);
        let first_try_of_2 = events.iter().any(|e| e.position == 2) && seen.times_of(2).len() == 1;
        async move {
            if first_try_of_2 {
                Err(HandlerError::transient(
                    Duration::from_millis(50),
                    "database busy",
                ))
            } else {
                Ok(())
            }
        }
    });
    let config = ConsumerConfig {
        name: name.clone(),
        batch_size: 1,
        ..config(&setup)
    };
    let (stop, task) = spawn(&setup, config, handler).await?;

    drained(&setup, &name).await?;
    stop.send(()).ok();
    task.await??;

    assert_eq!(calls.times_of(2).len(), 2, "event 2 came twice");
    assert_eq!(
        counted(bus::metric::CONSUMER_REDELIVERIES, &name),
        1.0,
        "one redelivery, of event 2; events 1 and 3 came once"
    );
    assert_eq!(counted(bus::metric::CONSUMER_DEAD_LETTERS, &name), 0.0);
    Ok(())
}

#[tokio::test]
async fn each_dead_letter_is_counted_for_its_consumer() -> anyhow::Result<()> {
    testkit::metrics::recorder();
    let setup = setup().await?;
    publish(&setup, 2).await?;
    let name = testkit::unique_prefix();
    let handler = handler_fn(|_: Vec<RecordedEvent>| async {
        Err(HandlerError::transient(
            Duration::from_millis(50),
            "still down",
        ))
    });
    let config = ConsumerConfig {
        name: name.clone(),
        max_deliver: 2,
        batch_size: 1,
        ..config(&setup)
    };
    let (stop, task) = spawn(&setup, config, handler).await?;

    eventually("both messages are dead-lettered", || async {
        Ok(dead_letter::list(&setup.db.pool, &name).await?.len() == 2)
    })
    .await?;
    drained(&setup, &name).await?;
    stop.send(()).ok();
    task.await??;

    assert_eq!(
        counted(bus::metric::CONSUMER_DEAD_LETTERS, &name),
        2.0,
        "one per dead letter recorded"
    );
    assert_eq!(
        counted(bus::metric::CONSUMER_REDELIVERIES, &name),
        2.0,
        "each message was delivered twice"
    );
    Ok(())
}
