//! Delivery: batches handed over and acked; in-progress heartbeats for a slow handler.

use std::time::Duration;

use bus::{ConsumerConfig, handler_fn};
use eventstore::RecordedEvent;

use super::{Calls, config, drained, publish, setup, spawn};
use crate::eventually;

#[tokio::test]
async fn a_consumer_hands_events_over_in_batches_and_acks_them() -> anyhow::Result<()> {
    let setup = setup().await?;
    publish(&setup, 20).await?;
    let calls = Calls::default();
    let seen = calls.clone();
    let handler = handler_fn(move |events: Vec<RecordedEvent>| {
        seen.record(&events);
        async { Ok(()) }
    });
    let (stop, task) = spawn(&setup, config(&setup), handler).await?;

    drained(&setup, "worker").await?;
    stop.send(()).ok();
    task.await??;

    let calls = calls.all();
    let positions: Vec<i64> = calls.iter().flat_map(|(_, p)| p.clone()).collect();
    assert_eq!(
        positions,
        (1..=20).collect::<Vec<_>>(),
        "each once, in order"
    );
    assert!(
        calls.iter().any(|(_, p)| p.len() > 1),
        "events came in batches"
    );
    let stream = setup.js.get_stream(&setup.bus.stream_name).await?;
    assert_eq!(
        stream
            .consumer_info("worker")
            .await?
            .ack_floor
            .stream_sequence,
        20
    );
    Ok(())
}

#[tokio::test]
async fn progress_heartbeats_keep_a_slow_handlers_message_from_other_workers() -> anyhow::Result<()>
{
    let setup = setup().await?;
    publish(&setup, 1).await?;
    let calls = Calls::default();
    let config = ConsumerConfig {
        ack_wait: Duration::from_secs(1),
        ..config(&setup)
    };
    // Two workers share the consumer: without heartbeats, the message would go to the idle
    // one once ack_wait passed.
    let mut workers = Vec::new();
    for _ in 0..2 {
        let seen = calls.clone();
        let slow = handler_fn(move |events: Vec<RecordedEvent>| {
            seen.record(&events);
            async {
                tokio::time::sleep(Duration::from_millis(2_500)).await;
                Ok(())
            }
        });
        workers.push(spawn(&setup, config.clone(), slow).await?);
    }

    eventually("a worker has the message", || async {
        Ok(!calls.all().is_empty())
    })
    .await?;
    drained(&setup, "worker").await?;
    for (stop, task) in workers {
        stop.send(()).ok();
        task.await??;
    }

    assert_eq!(calls.times_of(1).len(), 1, "handled once, by one worker");
    Ok(())
}
