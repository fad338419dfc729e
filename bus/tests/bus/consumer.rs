//! The consumer runner: acks, naks with delay, dead letters, in-progress heartbeats.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_nats::jetstream;
use bus::{BusConfig, Consumer, ConsumerConfig, HandlerError, dead_letter, envelope, handler_fn};
use eventstore::RecordedEvent;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::{bus_config, eventually};

/// One handler call: when, and the positions it got.
type Call = (Instant, Vec<i64>);

/// What a handler saw: each call, in order.
#[derive(Clone, Default)]
struct Calls(Arc<Mutex<Vec<Call>>>);

impl Calls {
    fn record(&self, events: &[RecordedEvent]) {
        let positions = events.iter().map(|e| e.position).collect();
        self.0
            .lock()
            .expect("no panics while held")
            .push((Instant::now(), positions));
    }

    fn all(&self) -> Vec<Call> {
        self.0.lock().expect("no panics while held").clone()
    }

    /// When each call that included `position` happened.
    fn times_of(&self, position: i64) -> Vec<Instant> {
        self.all()
            .into_iter()
            .filter(|(_, positions)| positions.contains(&position))
            .map(|(at, _)| at)
            .collect()
    }
}

struct Setup {
    db: testkit::TestDb,
    bus: BusConfig,
    js: jetstream::Context,
    nats: async_nats::Client,
}

async fn setup() -> anyhow::Result<Setup> {
    let db = testkit::TestDb::create().await?;
    let bus = bus_config();
    let nats = testkit::nats_client().await?;
    let js = jetstream::new(nats.clone());
    bus::provision::ensure_stream(&js, &bus).await?;
    Ok(Setup { db, bus, js, nats })
}

fn event(position: i64) -> RecordedEvent {
    RecordedEvent {
        position,
        event_id: uuid::Uuid::now_v7(),
        stream_id: format!("lesson-{}", uuid::Uuid::now_v7()),
        stream_version: 1,
        event_type: "LessonRevised".to_owned(),
        schema_version: 1,
        payload: serde_json::json!({ "n": position }),
        metadata: eventstore::Metadata::default(),
        recorded_at: chrono::Utc::now(),
    }
}

/// Publish events 1..=count as the relay would, and return them.
async fn publish(setup: &Setup, count: i64) -> anyhow::Result<Vec<RecordedEvent>> {
    let events: Vec<_> = (1..=count).map(event).collect();
    for event in &events {
        let message = envelope::encode(&setup.bus.subject_prefix, event)?;
        setup
            .js
            .publish_with_headers(message.subject, message.headers, message.body)
            .await?
            .await?;
    }
    Ok(events)
}

fn config(setup: &Setup) -> ConsumerConfig {
    ConsumerConfig {
        ack_wait: Duration::from_secs(10),
        fetch_wait: Duration::from_secs(1),
        ..ConsumerConfig::new("worker", bus::subject::all(&setup.bus.subject_prefix))
    }
}

/// Run a consumer in the background until the returned sender fires (or is dropped).
async fn spawn<H: bus::Handler + 'static>(
    setup: &Setup,
    config: ConsumerConfig,
    handler: H,
) -> anyhow::Result<(oneshot::Sender<()>, JoinHandle<Result<(), bus::Error>>)> {
    let consumer = Consumer::new(
        setup.db.pool.clone(),
        setup.nats.clone(),
        setup.bus.clone(),
        config,
    )?;
    consumer.ensure().await?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        consumer
            .run(handler, async { stopped.await.unwrap_or(()) })
            .await
    });
    Ok((stop, task))
}

/// Wait until the consumer has nothing pending or unacked.
async fn drained(setup: &Setup, name: &str) -> anyhow::Result<()> {
    let stream = setup.js.get_stream(&setup.bus.stream_name).await?;
    eventually("the consumer has settled every message", || {
        let stream = stream.clone();
        async move {
            let info = stream.consumer_info(name).await?;
            Ok(info.num_pending == 0 && info.num_ack_pending == 0)
        }
    })
    .await
}

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
