//! Where the relay stands: JetStream's own last message, never our checkpoint.
//!
//! JetStream 2.9 syncs its files lazily, so after a crash it may have kept less than it
//! acknowledged; and a timed-out publish may have been stored after all. The only truth
//! about what is in the stream is the stream: its last sequence `S` and the
//! `Lectern-Position` `P` of the message at `S`.

use async_nats::jetstream::Context;

use crate::{BusConfig, Error, envelope, provision};

/// The stream's last message: sequence `S` holds position `P`.
///
/// Every relayed event has a slot: position `p` belongs at sequence `S + (p - P)`. Each
/// publish carries `Nats-Expected-Last-Sequence` = its slot - 1, so JetStream stores it only
/// in its slot; a message whose predecessor is missing is refused, never stored out of order.
/// Because the stream holds the events densely and in order, every resync point gives the
/// same slots, and a late message from an earlier attempt can only land where it belongs (or
/// be dropped as a duplicate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Resync {
    pub last_sequence: u64,
    pub last_position: i64,
}

impl Resync {
    /// The stream sequence at which `position` belongs (`position > last_position`).
    pub fn slot(&self, position: i64) -> u64 {
        let ahead = u64::try_from(position - self.last_position).unwrap_or(0);
        self.last_sequence + ahead
    }

    /// The `Nats-Expected-Last-Sequence` for `position`; None where it would be 0, which
    /// the server ignores (the first event into an empty stream).
    pub fn expected_last_sequence(&self, position: i64) -> Option<u64> {
        Some(self.slot(position) - 1).filter(|seq| *seq > 0)
    }
}

/// Ask JetStream (its stream leader, not a possibly lagging replica) where the stream ends.
/// Creates the stream if it is missing.
pub(crate) async fn read(js: &Context, bus: &BusConfig) -> Result<Resync, Error> {
    let stream = provision::ensure_stream(js, bus).await?;
    let state = stream
        .get_info()
        .await
        .map_err(|e| Error::jetstream("reading the events stream's state", e))?
        .state;
    if state.messages == 0 {
        // Empty, or purged: the store is relayed again from the start.
        return Ok(Resync {
            last_sequence: state.last_sequence,
            last_position: 0,
        });
    }
    let last = stream
        .get_raw_message(state.last_sequence)
        .await
        .map_err(|e| Error::jetstream("reading the events stream's last message", e))?;
    let last_position = envelope::position(&last.headers).ok_or_else(|| Error::ForeignMessage {
        stream: bus.stream_name.clone(),
        sequence: state.last_sequence,
    })?;
    Ok(Resync {
        last_sequence: state.last_sequence,
        last_position,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_position_has_one_slot_after_the_last_message() {
        let at = Resync {
            last_sequence: 10,
            last_position: 7,
        };
        assert_eq!(at.slot(8), 11);
        assert_eq!(at.expected_last_sequence(8), Some(10));
        assert_eq!(at.expected_last_sequence(9), Some(11));
    }

    #[test]
    fn the_first_event_into_an_empty_stream_expects_nothing() {
        let empty = Resync {
            last_sequence: 0,
            last_position: 0,
        };
        assert_eq!(empty.expected_last_sequence(1), None);
        assert_eq!(empty.expected_last_sequence(2), Some(1));
    }
}
