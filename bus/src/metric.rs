//! The names of the metrics this crate records (through the `metrics` facade; the process
//! installs the recorder). Stable: dashboards and alerts use them.

/// Gauge: events in the store that JetStream does not hold yet, as this relay last saw
/// (head − last acked position); recorded by the relay while it leads.
pub const RELAY_LAG: &str = "lectern_relay_lag_events";
/// Counter: messages the relay sent to JetStream (retries included).
pub const RELAY_PUBLISHED: &str = "lectern_relay_published_total";
/// Counter: publish sessions that failed (a publish error, a timeout, an out-of-slot ack,
/// a database error) and were followed by a backoff and a resync.
pub const RELAY_PUBLISH_ERRORS: &str = "lectern_relay_publish_errors_total";
/// Counter, label `consumer`: messages delivered more than once.
pub const CONSUMER_REDELIVERIES: &str = "lectern_consumer_redeliveries_total";
/// Counter, label `consumer`: messages dead-lettered (recorded in `es.dead_letters`).
pub const CONSUMER_DEAD_LETTERS: &str = "lectern_consumer_dead_letters_total";
