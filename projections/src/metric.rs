//! The names of the metrics this crate records (through the `metrics` facade; the process
//! installs the recorder). Stable: dashboards and alerts use them.

/// Gauge, label `projection`: the store's head minus the projection's checkpoint, sampled
/// every 5 s by the active worker.
pub const LAG: &str = "lectern_projection_lag_events";
/// Histogram, label `projection`: seconds of one apply transaction (read the range, apply
/// it, move the checkpoint, commit).
pub const APPLY_SECONDS: &str = "lectern_projection_apply_duration_seconds";
