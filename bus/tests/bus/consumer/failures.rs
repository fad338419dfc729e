//! Failures: a transient one redelivered after the nak delay, a permanent one or one past
//! `max_deliver` dead-lettered, a message that is not an event, and the handler told once.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bus::{ConsumerConfig, HandlerError, dead_letter, envelope, handler_fn};
use eventstore::RecordedEvent;

use super::{Calls, config, drained, publish, setup, spawn};
use crate::eventually;

#[tokio::test]
async fn a_transient_failure_is_redelivered_after_the_nak_delay() -> anyhow::Result<()> {
    let setup = setup().await?;
    publish(&setup, 1).await?;
    let calls = Calls::default();
    let seen = calls.clone();
    let handler = handler_fn(move |events: Vec<RecordedEvent>| {
        seen.record(&events);
        let first = seen.all().len() == 1;
        async move {
            if first {
                Err(HandlerError::transient(
                    Duration::from_millis(700),
                    "database busy",
                ))
            } else {
                Ok(())
            }
        }
    });
    let (stop, task) = spawn(&setup, config(&setup), handler).await?;

    drained(&setup, "worker").await?;
    stop.send(()).ok();
    task.await??;

    let times = calls.times_of(1);
    assert_eq!(times.len(), 2, "delivered again after the nak");
    let gap = times[1] - times[0];
    // The redelivery follows the nak's delay, not the 10 s ack_wait.
    assert!(
        gap >= Duration::from_millis(700) && gap < Duration::from_secs(5),
        "{gap:?}"
    );
    assert!(
        dead_letter::list(&setup.db.pool, "worker")
            .await?
            .is_empty()
    );
    Ok(())
}

#[tokio::test]
async fn a_permanent_failure_is_dead_lettered_and_the_rest_of_the_batch_goes_through()
-> anyhow::Result<()> {
    let setup = setup().await?;
    let events = publish(&setup, 3).await?;
    let handled = Calls::default();
    let ok = handled.clone();
    let handler = handler_fn(move |events: Vec<RecordedEvent>| {
        let poisoned = events.iter().any(|e| e.position == 2);
        if !poisoned {
            ok.record(&events);
        }
        async move {
            if poisoned {
                Err(HandlerError::permanent("cannot apply event 2"))
            } else {
                Ok(())
            }
        }
    });
    let (stop, task) = spawn(&setup, config(&setup), handler).await?;

    drained(&setup, "worker").await?;
    stop.send(()).ok();
    task.await??;

    let handled: Vec<i64> = handled.all().into_iter().flat_map(|(_, p)| p).collect();
    assert_eq!(handled, vec![1, 3]);
    let letters = dead_letter::list(&setup.db.pool, "worker").await?;
    assert_eq!(letters.len(), 1);
    let letter = &letters[0];
    assert_eq!(letter.position, Some(2));
    assert_eq!(letter.event_id, Some(events[1].event_id));
    assert_eq!(letter.stream_seq, 2);
    assert_eq!(letter.deliveries, 1, "no retries for a permanent failure");
    assert!(
        letter.error.contains("cannot apply event 2"),
        "{}",
        letter.error
    );
    assert_eq!(envelope::decode(&letter.payload)?, events[1]);
    Ok(())
}

#[tokio::test]
async fn a_message_failing_max_deliver_times_is_terminated_and_dead_lettered() -> anyhow::Result<()>
{
    let setup = setup().await?;
    publish(&setup, 1).await?;
    let calls = Calls::default();
    let seen = calls.clone();
    let handler = handler_fn(move |events: Vec<RecordedEvent>| {
        seen.record(&events);
        async {
            Err(HandlerError::transient(
                Duration::from_millis(50),
                "still down",
            ))
        }
    });
    let config = ConsumerConfig {
        max_deliver: 3,
        ..config(&setup)
    };
    let (stop, task) = spawn(&setup, config, handler).await?;

    eventually("the message is dead-lettered", || async {
        Ok(!dead_letter::list(&setup.db.pool, "worker")
            .await?
            .is_empty())
    })
    .await?;
    drained(&setup, "worker").await?;
    stop.send(()).ok();
    task.await??;

    assert_eq!(
        calls.times_of(1).len(),
        3,
        "handled max_deliver times, then no more"
    );
    let letters = dead_letter::list(&setup.db.pool, "worker").await?;
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0].deliveries, 3);
    assert!(
        letters[0].error.contains("still down"),
        "{}",
        letters[0].error
    );
    Ok(())
}

#[tokio::test]
async fn a_message_that_is_not_an_event_is_dead_lettered_at_once() -> anyhow::Result<()> {
    let setup = setup().await?;
    let subject = format!("{}.lesson.x.Garbage", setup.bus.subject_prefix);
    setup
        .js
        .publish(subject.clone(), "not json".into())
        .await?
        .await?;
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

    assert!(calls.all().is_empty(), "the handler never saw it");
    let letters = dead_letter::list(&setup.db.pool, "worker").await?;
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0].subject, subject);
    assert_eq!((letters[0].event_id, letters[0].position), (None, None));
    assert_eq!(letters[0].payload, b"not json");
    Ok(())
}

/// Fails every event for good, and remembers what the runner said when it gave up.
#[derive(Clone, Default)]
struct GivesUp {
    gave_up: Arc<Mutex<Vec<(i64, String)>>>,
}

impl bus::Handler for GivesUp {
    async fn handle(&mut self, _events: &[RecordedEvent]) -> Result<(), HandlerError> {
        Err(HandlerError::transient(
            Duration::from_millis(50),
            "provider down",
        ))
    }

    async fn gave_up(&mut self, event: &RecordedEvent, error: &str) {
        self.gave_up
            .lock()
            .unwrap()
            .push((event.position, error.to_owned()));
    }
}

#[tokio::test]
async fn the_handler_hears_once_when_its_event_is_dead_lettered() -> anyhow::Result<()> {
    let setup = setup().await?;
    publish(&setup, 2).await?;
    let handler = GivesUp::default();
    let gave_up = handler.gave_up.clone();
    let config = ConsumerConfig {
        max_deliver: 2,
        batch_size: 1,
        ..config(&setup)
    };
    let (stop, task) = spawn(&setup, config, handler).await?;

    eventually("both messages are dead-lettered", || async {
        Ok(dead_letter::list(&setup.db.pool, "worker").await?.len() == 2)
    })
    .await?;
    drained(&setup, "worker").await?;
    stop.send(()).ok();
    task.await??;

    let mut heard = gave_up.lock().unwrap().clone();
    heard.sort();
    assert_eq!(heard.len(), 2, "{heard:?}");
    assert_eq!(heard[0].0, 1);
    assert_eq!(heard[1].0, 2);
    assert!(
        heard
            .iter()
            .all(|(_, error)| error.contains("provider down"))
    );
    Ok(())
}
