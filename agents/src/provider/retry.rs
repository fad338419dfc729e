//! [`RetryPolicy`]: how often and how patiently a provider call is retried — exponential
//! backoff with jitter (backon), or the provider's own `Retry-After` when it gave one,
//! capped by the policy's longest delay.
//!
//! It only computes delays; which errors are retried, and the breaker, are
//! [`super::resilient`]'s business.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBackoff, ExponentialBuilder};

use super::ProviderError;

/// Retries after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (so at most `retries + 1` attempts); 0: none.
    pub retries: u32,
    /// The first backoff delay; each next one doubles, plus jitter.
    pub min_delay: Duration,
    /// The longest wait, also for a provider's `Retry-After`.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 3 retries, from 500 ms up to 20 s.
    fn default() -> Self {
        Self {
            retries: 3,
            min_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// The backoff delays of one call.
    pub(crate) fn backoff(&self) -> ExponentialBackoff {
        ExponentialBuilder::new()
            .with_jitter()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay.max(self.min_delay))
            .with_max_times(self.retries as usize)
            .build()
    }

    /// The wait before retrying after `error`: `None` (give up) when the backoff has no
    /// more retries; else the provider's `Retry-After`, or the backoff's own delay (whose
    /// jitter may overshoot), both capped by `max_delay`.
    pub(crate) fn delay(
        &self,
        error: &ProviderError,
        backoff: Option<Duration>,
    ) -> Option<Duration> {
        let backoff = backoff?;
        match error {
            ProviderError::RateLimited {
                retry_after: Some(after),
                ..
            } => Some((*after).min(self.max_delay)),
            _ => Some(backoff.min(self.max_delay)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            retries: 2,
            min_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(5),
        }
    }

    fn rate_limited(after: Option<Duration>) -> ProviderError {
        ProviderError::RateLimited {
            provider: "p".into(),
            retry_after: after,
        }
    }

    #[test]
    fn retry_after_replaces_the_backoff_up_to_the_cap() {
        let backoff = Some(Duration::from_millis(100));
        let p = policy();
        assert_eq!(
            p.delay(&rate_limited(Some(Duration::from_secs(2))), backoff),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            p.delay(&rate_limited(Some(Duration::from_secs(60))), backoff),
            Some(Duration::from_secs(5))
        );
        assert_eq!(p.delay(&rate_limited(None), backoff), backoff);
    }

    #[test]
    fn no_retries_left_means_giving_up_even_with_retry_after() {
        assert_eq!(
            policy().delay(&rate_limited(Some(Duration::from_secs(1))), None),
            None
        );
    }

    #[test]
    fn the_backoff_grows_with_jitter_and_stops() {
        let delays: Vec<Duration> = policy().backoff().collect();
        assert_eq!(delays.len(), 2);
        // Jitter adds up to one more delay: [100, 200) ms, then [200, 400) ms (give or take
        // backon's f32 rounding).
        let within = |d: Duration, from: u64, to: u64| {
            d >= Duration::from_millis(from) && d <= Duration::from_millis(to)
        };
        assert!(within(delays[0], 99, 201), "{delays:?}");
        assert!(within(delays[1], 199, 401), "{delays:?}");
    }

    #[test]
    fn backoff_delays_are_capped() {
        let p = policy();
        let error = ProviderError::Timeout {
            provider: "p".into(),
            after: Duration::from_secs(1),
        };
        assert_eq!(
            p.delay(&error, Some(Duration::from_secs(9))),
            Some(Duration::from_secs(5))
        );
    }
}
