//! [`ClassLanes`]: commands on one class take turns within this process.
//!
//! Correctness does not depend on this: a class command appends with the version it
//! decided on, so of two racing enrollments the store lets one through and the runner
//! retries the other on the new state, where the class may be full (`domain::class`).
//! But one stream takes at most one append per commit, so a crowd of enrollments into
//! one class (the first morning of term) only wastes its retries racing for it, and a
//! request that keeps losing runs out of retries and answers 409 `contended` although
//! it would have been decided. Queueing the crowd here instead lets each decide on the
//! state its predecessor left, with no conflict and no wasted work. Other API processes
//! still race through the store, as before.

use domain::ClassId;
use tokio::sync::{Mutex, MutexGuard};

/// How many lanes there are. Classes share a lane only by hash; sharing costs two
/// unrelated classes a moment's wait, never correctness.
const LANES: usize = 256;

/// A fixed set of locks, one lane per class by hash: no map to grow or clean up.
pub struct ClassLanes {
    lanes: Box<[Mutex<()>]>,
}

impl Default for ClassLanes {
    fn default() -> Self {
        Self {
            lanes: (0..LANES).map(|_| Mutex::new(())).collect(),
        }
    }
}

impl ClassLanes {
    /// Wait for `class`'s turn; the turn lasts as long as the guard.
    pub async fn enter(&self, class: ClassId) -> MutexGuard<'_, ()> {
        self.lanes[lane_of(class, self.lanes.len())].lock().await
    }
}

/// The lane of a class: its UUID's two halves folded, modulo the lane count (the low
/// bits of a UUIDv4 or v7 are random).
fn lane_of(class: ClassId, lanes: usize) -> usize {
    let uuid = class.as_uuid().as_u128();
    let folded = (uuid >> 64) ^ uuid;
    // `lanes` is a small positive count, so the remainder fits a usize.
    (folded % lanes as u128) as usize
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    #[test]
    fn a_class_always_has_the_same_lane_within_the_range() {
        for _ in 0..1_000 {
            let class = ClassId::new(Uuid::now_v7());
            let lane = lane_of(class, LANES);
            assert!(lane < LANES);
            assert_eq!(lane, lane_of(class, LANES));
        }
    }

    #[tokio::test]
    async fn a_second_command_on_the_class_waits_for_the_first() {
        let lanes = ClassLanes::default();
        let class = ClassId::new(Uuid::now_v7());
        let first = lanes.enter(class).await;
        let second = tokio::time::timeout(std::time::Duration::from_millis(20), lanes.enter(class));
        assert!(second.await.is_err(), "the lane is taken");
        drop(first);
        let _again = lanes.enter(class).await;
    }
}
