//! The metric names of the live feeds.

/// Gauge: live feeds open, by `feed` (`log`, `stream`, `me`, `read_models`).
pub const LIVE_FEEDS: &str = "lectern_live_feeds";
/// Counter: messages queued to live feeds, by `feed`.
pub const LIVE_MESSAGES: &str = "lectern_live_messages_total";
/// Counter: live feeds ended, by `feed` and `reason` (`lagged`, `expired`, `revoked`,
/// `shutdown`, `unavailable`, `gone`).
pub const LIVE_ENDS: &str = "lectern_live_ends_total";
/// Histogram: seconds from an event's commit to its queueing on a feed, by `phase`
/// (`catch_up` from the store, `live` from the hub).
pub const LIVE_DELIVERY_SECONDS: &str = "lectern_live_delivery_seconds";
