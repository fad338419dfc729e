//! A cache of recent aggregate states, so a command usually skips the load.
//!
//! Kept honest by the store, not by invalidation: a command decided on a cached state
//! appends with that state's version as the expected version, so a stale entry can only
//! cause a conflict, which drops it and reloads.

use std::num::NonZeroUsize;
use std::sync::Mutex;

use lru::LruCache;

/// An aggregate state at a stream version.
#[derive(Clone)]
pub(crate) struct Versioned<A> {
    pub version: i64,
    pub state: A,
}

pub(crate) struct StateCache<A> {
    entries: Mutex<LruCache<String, Versioned<A>>>,
}

impl<A: Clone> StateCache<A> {
    pub fn new(capacity: usize) -> Self {
        let capacity = NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN);
        Self {
            entries: Mutex::new(LruCache::new(capacity)),
        }
    }

    pub fn get(&self, stream: &str) -> Option<Versioned<A>> {
        self.lock().get(stream).cloned()
    }

    /// Keep the newer of what is cached and `entry`.
    pub fn put(&self, stream: &str, entry: Versioned<A>) {
        let mut entries = self.lock();
        match entries.get_mut(stream) {
            Some(current) if current.version >= entry.version => {}
            Some(current) => *current = entry,
            None => {
                entries.put(stream.to_owned(), entry);
            }
        }
    }

    pub fn forget(&self, stream: &str) {
        self.lock().pop(stream);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<String, Versioned<A>>> {
        // A panic while holding this lock leaves at worst a stale entry, which the
        // expected-version check catches; keep serving.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
