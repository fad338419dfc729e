//! The names of the metrics this crate records (through the `metrics` facade; the process
//! installs the recorder). Stable: dashboards and alerts use them.

/// Counter, labels `agent`, `provider` (`none` when no provider answered), `outcome`
/// (`completed`, `unparsable`, `no_provider`): agent steps run.
pub const STEPS: &str = "lectern_agent_steps_total";
/// Histogram, same labels: seconds from a step's start to its outcome (provider calls,
/// retries and parsing included).
pub const STEP_SECONDS: &str = "lectern_agent_step_duration_seconds";
/// Gauge, label `provider`: its circuit breaker, 0 closed, 1 half-open, 2 open.
pub const BREAKER_STATE: &str = "lectern_agent_breaker_state";
