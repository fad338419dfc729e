//! How many live feeds may be open at once: per user (`LECTERN_LIVE_MAX_FEEDS_PER_USER`,
//! else 429) and on the whole process (`LECTERN_LIVE_MAX_FEEDS`, else 503). A feed holds
//! its place ([`FeedPlace`]) until its connection's pump ends.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use uuid::Uuid;

use super::metric;
use crate::{ApiConfig, ApiError};

/// The open feeds, by user.
pub struct FeedCaps {
    max_total: usize,
    max_per_user: usize,
    open: Mutex<Open>,
}

#[derive(Default)]
struct Open {
    total: usize,
    by_user: HashMap<Uuid, usize>,
}

/// One open feed's place; given back when dropped.
pub struct FeedPlace {
    caps: Arc<FeedCaps>,
    user: Uuid,
    feed: &'static str,
}

impl FeedCaps {
    pub fn new(config: &ApiConfig) -> Self {
        Self {
            max_total: config.live_max_feeds,
            max_per_user: config.live_max_feeds_per_user,
            open: Mutex::new(Open::default()),
        }
    }

    /// A place for one more `feed` of `user`, if both caps allow it.
    pub fn admit(self: &Arc<Self>, user: Uuid, feed: &'static str) -> Result<FeedPlace, ApiError> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if open.total >= self.max_total {
            return Err(ApiError::LiveFeedsFull(format!(
                "this server has {} live feeds open, as many as it allows; retry shortly, \
                 perhaps on another server",
                self.max_total
            )));
        }
        let mine = open.by_user.entry(user).or_default();
        if *mine >= self.max_per_user {
            return Err(ApiError::TooManyLiveFeeds(format!(
                "this user has {} live feeds open on this server, as many as one user may; \
                 close one first",
                self.max_per_user
            )));
        }
        *mine += 1;
        open.total += 1;
        metrics::gauge!(metric::LIVE_FEEDS, "feed" => feed).increment(1.0);
        Ok(FeedPlace {
            caps: self.clone(),
            user,
            feed,
        })
    }

    /// Feeds open now (all users).
    pub fn open(&self) -> usize {
        self.open.lock().unwrap_or_else(|e| e.into_inner()).total
    }
}

impl Drop for FeedPlace {
    fn drop(&mut self) {
        let mut open = self.caps.open.lock().unwrap_or_else(|e| e.into_inner());
        open.total = open.total.saturating_sub(1);
        if let Some(mine) = open.by_user.get_mut(&self.user) {
            *mine -= 1;
            if *mine == 0 {
                open.by_user.remove(&self.user);
            }
        }
        metrics::gauge!(metric::LIVE_FEEDS, "feed" => self.feed).decrement(1.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(total: usize, per_user: usize) -> Arc<FeedCaps> {
        let mut config = ApiConfig::with_secret("x".repeat(32));
        config.live_max_feeds = total;
        config.live_max_feeds_per_user = per_user;
        Arc::new(FeedCaps::new(&config))
    }

    #[test]
    fn a_user_past_their_cap_is_refused_and_a_closed_feed_frees_its_place() {
        let caps = caps(10, 2);
        let user = Uuid::now_v7();
        let first = caps.admit(user, "log").unwrap();
        let _second = caps.admit(user, "log").unwrap();
        assert!(matches!(
            caps.admit(user, "log"),
            Err(ApiError::TooManyLiveFeeds(_))
        ));
        assert!(caps.admit(Uuid::now_v7(), "log").is_ok());
        drop(first);
        assert!(caps.admit(user, "log").is_ok());
    }

    #[test]
    fn the_server_past_its_cap_refuses_everyone() {
        let caps = caps(2, 5);
        let _a = caps.admit(Uuid::now_v7(), "me").unwrap();
        let _b = caps.admit(Uuid::now_v7(), "me").unwrap();
        assert!(matches!(
            caps.admit(Uuid::now_v7(), "me"),
            Err(ApiError::LiveFeedsFull(_))
        ));
        assert_eq!(caps.open(), 2);
    }
}
