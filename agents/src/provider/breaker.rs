//! [`Breaker`]: one provider's circuit breaker, a small state machine.
//!
//! Closed, it lets every call through and counts consecutive *failures* — attempts that
//! ended in a retryable error (rate limit, outage, timeout); each retry attempt counts.
//! After `threshold` of them it opens: calls are turned away at once for `cooldown`. Then
//! it is half-open: one trial call goes through (others are still turned away); if the
//! provider answers, the breaker closes, if it fails, it opens for another cooldown.
//! Any answer — a success, or a refusal or unreadable envelope, which prove the provider is
//! up — resets the count.
//!
//! It only decides and records; it makes no calls and does not retry. Time is
//! `tokio::time::Instant`, so tests can pause it.

use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// When a breaker opens, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerPolicy {
    /// Consecutive failed attempts that open the breaker (at least 1).
    pub threshold: u32,
    /// How long it stays open before a trial call.
    pub cooldown: Duration,
}

impl Default for BreakerPolicy {
    /// 5 failures, 30 s.
    fn default() -> Self {
        Self {
            threshold: 5,
            cooldown: Duration::from_secs(30),
        }
    }
}

/// A breaker's state, as metrics show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BreakerState {
    Closed,
    Open,
    HalfOpen,
}

impl BreakerState {
    /// `closed`, `open` or `half_open`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Closed => "closed",
            Self::Open => "open",
            Self::HalfOpen => "half_open",
        }
    }
}

impl fmt::Display for BreakerState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How one attempt ended, for the breaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The provider answered (successfully or not): it is up.
    Answered,
    /// A retryable error: the provider is down, overloaded or slow.
    Failed,
}

#[derive(Debug)]
enum Inner {
    Closed { failures: u32 },
    Open { until: Instant },
    HalfOpen { trial: bool },
}

/// A circuit breaker for one provider. Shared by the provider's concurrent calls.
#[derive(Debug)]
pub struct Breaker {
    name: String,
    policy: BreakerPolicy,
    inner: Mutex<Inner>,
}

impl Breaker {
    /// A closed breaker; `name` labels its log lines.
    pub fn new(name: impl Into<String>, policy: BreakerPolicy) -> Self {
        let name = name.into();
        gauge(&name, BreakerState::Closed);
        Self {
            name,
            policy: BreakerPolicy {
                threshold: policy.threshold.max(1),
                ..policy
            },
            inner: Mutex::new(Inner::Closed { failures: 0 }),
        }
    }

    /// The state now; `HalfOpen` once an open breaker's cooldown has passed.
    pub fn state(&self) -> BreakerState {
        match *self.lock() {
            Inner::Closed { .. } => BreakerState::Closed,
            Inner::Open { until } if Instant::now() < until => BreakerState::Open,
            Inner::Open { .. } | Inner::HalfOpen { .. } => BreakerState::HalfOpen,
        }
    }

    /// Whether a call may go through now. The [`Permit`] must be given the attempt's
    /// [`Outcome`]; dropped without one (the call was cancelled), it records nothing and
    /// frees the half-open trial for another call.
    pub fn acquire(&self) -> Option<Permit<'_>> {
        let mut inner = self.lock();
        let trial = match *inner {
            Inner::Closed { .. } => false,
            Inner::Open { until } if Instant::now() < until => return None,
            Inner::Open { .. } | Inner::HalfOpen { trial: false } => {
                *inner = Inner::HalfOpen { trial: true };
                gauge(&self.name, BreakerState::HalfOpen);
                tracing::info!(provider = %self.name, "circuit half-open: one trial call");
                true
            }
            Inner::HalfOpen { trial: true } => return None,
        };
        Some(Permit {
            breaker: self,
            trial,
            recorded: false,
        })
    }

    fn record(&self, outcome: Outcome) {
        let mut inner = self.lock();
        match (outcome, &mut *inner) {
            (Outcome::Answered, Inner::Closed { failures }) => *failures = 0,
            (Outcome::Answered, _) => {
                *inner = Inner::Closed { failures: 0 };
                gauge(&self.name, BreakerState::Closed);
                tracing::info!(provider = %self.name, "circuit closed");
            }
            (Outcome::Failed, Inner::Closed { failures }) => {
                *failures += 1;
                if *failures >= self.policy.threshold {
                    let failures = *failures;
                    *inner = self.open();
                    tracing::warn!(
                        provider = %self.name,
                        failures,
                        cooldown = ?self.policy.cooldown,
                        "circuit open"
                    );
                }
            }
            (Outcome::Failed, _) => {
                *inner = self.open();
                tracing::warn!(
                    provider = %self.name,
                    cooldown = ?self.policy.cooldown,
                    "circuit open again: the trial call failed"
                );
            }
        }
    }

    fn open(&self) -> Inner {
        gauge(&self.name, BreakerState::Open);
        Inner::Open {
            until: Instant::now() + self.policy.cooldown,
        }
    }

    fn cancel_trial(&self) {
        let mut inner = self.lock();
        if let Inner::HalfOpen { trial } = &mut *inner {
            *trial = false;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // The state is always valid: a panic elsewhere cannot leave it half-written.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The gauge `lectern_agent_breaker_state{provider}`: 0 closed, 1 half-open, 2 open (as of
/// the breaker's last transition: an open breaker turns half-open at its next call).
fn gauge(provider: &str, state: BreakerState) {
    let value = match state {
        BreakerState::Closed => 0.0,
        BreakerState::HalfOpen => 1.0,
        BreakerState::Open => 2.0,
    };
    metrics::gauge!(crate::metric::BREAKER_STATE, "provider" => provider.to_owned()).set(value);
}

/// Leave for one call through a [`Breaker`].
#[derive(Debug)]
#[must_use = "a permit must be given the call's outcome"]
pub struct Permit<'a> {
    breaker: &'a Breaker,
    trial: bool,
    recorded: bool,
}

impl Permit<'_> {
    /// Records how the call ended.
    pub fn record(mut self, outcome: Outcome) {
        self.recorded = true;
        self.breaker.record(outcome);
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if self.trial && !self.recorded {
            self.breaker.cancel_trial();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_is_a_gauge_per_provider() {
        let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        let state = || {
            handle
                .render()
                .lines()
                .find(|l| l.starts_with("lectern_agent_breaker_state{provider=\"gauged\"}"))
                .map(|l| l.rsplit(' ').next().unwrap().to_owned())
        };
        metrics::with_local_recorder(&recorder, || {
            let breaker = Breaker::new(
                "gauged",
                BreakerPolicy {
                    threshold: 1,
                    cooldown: Duration::ZERO,
                },
            );
            assert_eq!(state().as_deref(), Some("0"));
            breaker.acquire().unwrap().record(Outcome::Failed);
            assert_eq!(state().as_deref(), Some("2"));
            let trial = breaker.acquire().unwrap();
            assert_eq!(state().as_deref(), Some("1"));
            trial.record(Outcome::Answered);
            assert_eq!(state().as_deref(), Some("0"));
        });
    }

    const COOLDOWN: Duration = Duration::from_secs(30);

    fn breaker(threshold: u32) -> Breaker {
        Breaker::new(
            "test",
            BreakerPolicy {
                threshold,
                cooldown: COOLDOWN,
            },
        )
    }

    fn fail(breaker: &Breaker) {
        breaker.acquire().expect("a permit").record(Outcome::Failed);
    }

    #[tokio::test(start_paused = true)]
    async fn opens_after_threshold_consecutive_failures() {
        let b = breaker(3);
        fail(&b);
        fail(&b);
        assert_eq!(b.state(), BreakerState::Closed);
        fail(&b);
        assert_eq!(b.state(), BreakerState::Open);
        assert!(b.acquire().is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn an_answer_resets_the_count() {
        let b = breaker(3);
        fail(&b);
        fail(&b);
        b.acquire().unwrap().record(Outcome::Answered);
        fail(&b);
        fail(&b);
        assert_eq!(b.state(), BreakerState::Closed);
    }

    #[tokio::test(start_paused = true)]
    async fn half_open_after_cooldown_lets_one_trial_through() {
        let b = breaker(1);
        fail(&b);
        tokio::time::advance(COOLDOWN - Duration::from_millis(1)).await;
        assert_eq!(b.state(), BreakerState::Open);
        assert!(b.acquire().is_none());
        tokio::time::advance(Duration::from_millis(1)).await;
        assert_eq!(b.state(), BreakerState::HalfOpen);
        let trial = b.acquire().expect("the trial");
        assert!(b.acquire().is_none(), "only one trial at a time");
        trial.record(Outcome::Answered);
        assert_eq!(b.state(), BreakerState::Closed);
        assert!(b.acquire().is_some());
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_trial_reopens_for_another_cooldown() {
        let b = breaker(2);
        fail(&b);
        fail(&b);
        tokio::time::advance(COOLDOWN).await;
        fail(&b);
        assert_eq!(b.state(), BreakerState::Open);
        tokio::time::advance(COOLDOWN / 2).await;
        assert!(b.acquire().is_none());
        tokio::time::advance(COOLDOWN / 2).await;
        assert!(b.acquire().is_some());
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_trial_frees_the_slot() {
        let b = breaker(1);
        fail(&b);
        tokio::time::advance(COOLDOWN).await;
        drop(b.acquire().expect("the trial"));
        assert_eq!(b.state(), BreakerState::HalfOpen);
        assert!(b.acquire().is_some(), "another trial may go");
    }

    #[test]
    fn states_have_metric_names() {
        let names = [
            BreakerState::Closed,
            BreakerState::Open,
            BreakerState::HalfOpen,
        ]
        .map(BreakerState::as_str);
        assert_eq!(names, ["closed", "open", "half_open"]);
    }
}
