//! The names of the metrics this crate records (through the `metrics` facade; the process
//! installs the recorder). Stable: dashboards and alerts use them.

/// Histogram: appends committed together in one batch (one transaction).
pub const APPEND_BATCH_APPENDS: &str = "lectern_append_batch_appends";
/// Histogram: events written by one batch's transaction (refused appends included).
pub const APPEND_BATCH_EVENTS: &str = "lectern_append_batch_events";
/// Histogram: seconds from taking the log lock to the batch's commit (or failure).
pub const APPEND_BATCH_SECONDS: &str = "lectern_append_batch_duration_seconds";
/// Counter: events committed to the log by this process.
pub const EVENTS_APPENDED: &str = "lectern_events_appended_total";
