//! An event feed's pump: catch up from the store, then follow the hub, with no gap and no
//! duplicate at the switch.
//!
//! 1. **Catch up**: read the store after the client's position up to the head, a page at a
//!    time (as the NDJSON export does), each page only once the previous one is queued:
//!    a client far behind is served at the speed it reads, from the store, not from memory.
//! 2. **Subscribe** to the hub's ring, then **catch up again** up to the head as it is
//!    now: whatever committed between the first catch-up and the subscription comes from
//!    the store. Everything after the subscription comes from the ring.
//! 3. **Follow**: an event at or before the last position examined is a duplicate of the
//!    catch-up (the hub may be behind the store) and is skipped; an event past the next
//!    position (which the dense log and a hub that reads every position never produce)
//!    is preceded by a read of the store for what lies between. A feed the ring overtook
//!    ends with `lagged`.
//!
//! Each message's `id:` is the event's log position, so `Last-Event-ID` resumes exactly.
//! Positions a filter leaves out still count as examined; the final message's `id:` is the
//! last position examined, so a resumed feed does not read them again.

use std::sync::Arc;
use std::time::Duration;

use eventstore::LogFilter;
use metrics::{Counter, Histogram};
use tokio::sync::broadcast::error::RecvError;

use super::audience;
use super::caps::FeedPlace;
use super::connection::{self, End, Queue};
use super::hub::{LiveEvent, LiveHub};
use super::metric;
use super::revocation::Revocation;
use super::stake::Stake;
use crate::audit::history::{self, PAGE};
use crate::auth::Authenticated;

/// Which events a feed carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The whole log.
    Log,
    /// One stream.
    Stream(String),
    /// What concerns the caller ([`audience::concerns`]).
    Me,
}

/// A feed: its scope and its filters.
#[derive(Debug, Clone)]
pub struct Spec {
    pub scope: Scope,
    /// Only these event types (empty: all).
    pub types: Vec<String>,
    /// Only streams whose id starts with this.
    pub stream_prefix: Option<String>,
}

impl Spec {
    fn feed(&self) -> &'static str {
        match self.scope {
            Scope::Log => "log",
            Scope::Stream(_) => "stream",
            Scope::Me => "me",
        }
    }
}

/// The caller of a feed, and when their access token expires (Unix seconds).
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: Authenticated,
    pub until: u64,
}

/// Why a step of the pump stopped it.
enum Stop {
    End(End),
    Database(sqlx::Error),
}

impl From<sqlx::Error> for Stop {
    fn from(error: sqlx::Error) -> Self {
        Self::Database(error)
    }
}

/// Where a message came from, for the delivery latency histogram.
#[derive(Clone, Copy)]
enum Phase {
    CatchUp,
    Live,
}

impl Phase {
    fn as_str(self) -> &'static str {
        match self {
            Self::CatchUp => "catch_up",
            Self::Live => "live",
        }
    }
}

/// What to do with an event from the hub at `position` when everything up to `examined`
/// has been examined.
#[derive(Debug, PartialEq, Eq)]
enum AtSeam {
    /// Already examined (the catch-up read it from the store): skip it.
    Duplicate,
    /// The next position: take it.
    Next,
    /// Past the next: read the store up to this position first, then take it.
    After(i64),
}

fn seam(examined: i64, position: i64) -> AtSeam {
    if position <= examined {
        AtSeam::Duplicate
    } else if position == examined + 1 {
        AtSeam::Next
    } else {
        AtSeam::After(position - 1)
    }
}

/// One connection's pump.
pub struct Pump {
    hub: Arc<LiveHub>,
    viewer: Viewer,
    spec: Spec,
    /// The caller's deactivation ends the feed, wherever the pump meets it.
    revocation: Revocation,
    /// Every position up to here has been examined, and each permitted one queued.
    examined: i64,
    tx: Queue,
    patience: Duration,
    metrics: FeedMetrics,
}

/// A feed's metric handles, looked up once rather than per message.
struct FeedMetrics {
    messages: Counter,
    catch_up: Histogram,
    live: Histogram,
}

impl FeedMetrics {
    fn new(feed: &'static str) -> Self {
        let delivery = |phase: Phase| metrics::histogram!(metric::LIVE_DELIVERY_SECONDS, "phase" => phase.as_str());
        Self {
            messages: metrics::counter!(metric::LIVE_MESSAGES, "feed" => feed),
            catch_up: delivery(Phase::CatchUp),
            live: delivery(Phase::Live),
        }
    }
}

impl Pump {
    pub fn new(
        hub: Arc<LiveHub>,
        viewer: Viewer,
        spec: Spec,
        opened: i64,
        after: i64,
        tx: Queue,
        patience: Duration,
    ) -> Self {
        let revocation = Revocation::new(viewer.user.user_id, opened);
        let metrics = FeedMetrics::new(spec.feed());
        Self {
            metrics,
            hub,
            viewer,
            spec,
            revocation,
            examined: after,
            tx,
            patience,
        }
    }

    /// Run until the feed ends, then say why; `place` is held until then.
    pub async fn run(mut self, place: FeedPlace) {
        let feed = self.spec.feed();
        let hub = self.hub.clone();
        let tx = self.tx.clone();
        let deadline = connection::deadline(self.viewer.until);
        let end = {
            let follow = self.follow();
            tokio::select! {
                stop = follow => match stop {
                    Stop::End(end) => end,
                    Stop::Database(error) => {
                        tracing::warn!(%error, "a live feed could not read the log; it ends");
                        End::Unavailable
                    }
                },
                () = tokio::time::sleep_until(deadline) => End::Expired,
                () = hub.stopped() => End::Shutdown,
                () = tx.closed() => End::Gone,
            }
        };
        connection::farewell(&self.tx, feed, end, Some(self.examined), self.patience).await;
        drop(place);
    }

    async fn follow(&mut self) -> Stop {
        if let Err(stop) = self.catch_up(None).await {
            return stop;
        }
        let mut ring = match self.hub.events().await {
            Ok(ring) => ring,
            Err(error) => return Stop::Database(error),
        };
        if let Err(stop) = self.catch_up(None).await {
            return stop;
        }
        // A deactivation that committed before the subscription and that the catch-up
        // did not read (a `types=` filter leaves it out) is found here; any later one
        // comes through the ring.
        match self.revocation.in_store(self.hub.pool()).await {
            Ok(false) => {}
            Ok(true) => return Stop::End(End::Revoked),
            Err(error) => return Stop::Database(error),
        }
        loop {
            let live = match ring.recv().await {
                Ok(live) => live,
                Err(RecvError::Lagged(_)) => return Stop::End(End::Lagged),
                Err(RecvError::Closed) => return Stop::End(End::Shutdown),
            };
            let position = live.event.position;
            match seam(self.examined, position) {
                AtSeam::Duplicate => continue,
                AtSeam::Next => {}
                AtSeam::After(until) => {
                    if let Err(stop) = self.catch_up(Some(until)).await {
                        return stop;
                    }
                }
            }
            if let Err(stop) = self.deliver(&live, Phase::Live).await {
                return stop;
            }
            self.examined = position;
        }
    }

    /// Everything permitted after `examined` up to `until` (default: the head now), from
    /// the store, a page at a time.
    async fn catch_up(&mut self, until: Option<i64>) -> Result<(), Stop> {
        let pool = self.hub.pool().clone();
        let head = match until {
            Some(until) => until,
            None => eventstore::read::head(&pool).await?,
        };
        while self.examined < head {
            let page = match &self.spec.scope {
                Scope::Stream(stream) => {
                    history::stream_after(
                        &pool,
                        stream,
                        self.examined,
                        head,
                        &self.spec.types,
                        PAGE,
                    )
                    .await?
                }
                Scope::Log | Scope::Me => {
                    let filter = LogFilter {
                        categories: Vec::new(),
                        event_types: self.spec.types.clone(),
                    };
                    history::log_page(&pool, self.examined, head, &filter, PAGE).await?
                }
            };
            let short = page.len() < PAGE as usize;
            for event in page {
                let position = event.position;
                let stake = match self.spec.scope {
                    Scope::Me => {
                        self.hub
                            .stakes
                            .of_event(
                                &pool,
                                &event.stream_id,
                                event.stream_version,
                                &event.payload,
                            )
                            .await?
                    }
                    _ => Stake::Other,
                };
                self.deliver(&LiveEvent::new(event, stake), Phase::CatchUp)
                    .await?;
                self.examined = position;
            }
            if short {
                self.examined = head;
            }
        }
        Ok(())
    }

    /// Queue the event if this feed carries it (waiting for room while the client reads);
    /// the caller's deactivation ends the feed instead.
    async fn deliver(&self, live: &LiveEvent, phase: Phase) -> Result<(), Stop> {
        if self.revocation.by(&live.event) {
            return Err(Stop::End(End::Revoked));
        }
        if !self.admits(live) {
            return Ok(());
        }
        self.tx
            .send(live.frame.clone())
            .await
            .map_err(|_| Stop::End(End::Gone))?;
        self.metrics.messages.increment(1);
        let age = (chrono::Utc::now() - live.event.recorded_at)
            .to_std()
            .unwrap_or_default();
        let delivery = match phase {
            Phase::CatchUp => &self.metrics.catch_up,
            Phase::Live => &self.metrics.live,
        };
        delivery.record(age.as_secs_f64());
        Ok(())
    }

    fn admits(&self, live: &LiveEvent) -> bool {
        let event = &live.event;
        let typed = self.spec.types.is_empty() || self.spec.types.contains(&event.event_type);
        let prefixed = self
            .spec
            .stream_prefix
            .as_deref()
            .is_none_or(|prefix| event.stream_id.starts_with(prefix));
        typed
            && prefixed
            && match &self.spec.scope {
                Scope::Log => true,
                Scope::Stream(stream) => event.stream_id == *stream,
                Scope::Me => audience::concerns(
                    &self.viewer.user,
                    live.stake,
                    &event.event_type,
                    &event.payload,
                ),
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_the_seam_an_examined_position_is_skipped_and_a_gap_is_read_from_the_store() {
        assert_eq!(seam(10, 9), AtSeam::Duplicate);
        assert_eq!(seam(10, 10), AtSeam::Duplicate);
        assert_eq!(seam(10, 11), AtSeam::Next);
        assert_eq!(seam(10, 15), AtSeam::After(14));
        assert_eq!(seam(0, 1), AtSeam::Next);
    }
}
