//! Walking the chain: the verifier's position, each row checked against the link of the
//! verified hash before it (and the anchors), up to the first suspect row.

use sqlx::Row;

use super::rows::{EventRow, Page};
use crate::audit::anchors::Anchor;
use crate::audit::chain::{ChainHash, Linker};

/// The verifier's position in the chain.
#[derive(Debug, Default)]
pub(super) struct Chain {
    pub(super) head: i64,
    /// The next position expected.
    pub(super) expect: i64,
    /// The verified hash at `expect - 1`; None while in the unchained prefix.
    pub(super) prev: Option<ChainHash>,
    pub(super) checked: u64,
    pub(super) unchained: u64,
    pub(super) first: Option<i64>,
    pub(super) last: Option<i64>,
    pub(super) anchors_checked: u64,
    linker: Linker,
}

/// The first row found wrong, before classification.
#[derive(Debug)]
pub(super) enum Suspect {
    /// A row beyond the snapshot's head.
    BeyondHead { position: i64 },
    /// No row at `expected`; `found` is the next one, if any.
    Gap { expected: i64, found: Option<i64> },
    /// A row without a hash after the chain started.
    NoHash { position: i64 },
    /// A hash that is not the link of `prev` and the row.
    Mismatch { position: i64 },
    /// The chain at an anchor's position is not the anchor.
    Anchor { position: i64 },
    /// Every row links, but the head's hash is not the last row's.
    HeadHash,
}

impl Chain {
    pub(super) fn new(head: i64, anchor: Option<&Anchor>) -> Self {
        match anchor {
            Some(anchor) => Self {
                head,
                expect: anchor.position + 1,
                prev: Some(anchor.hash),
                ..Self::default()
            },
            None => Self {
                head,
                expect: 1,
                ..Self::default()
            },
        }
    }

    pub(super) fn check_page(&mut self, page: &Page) -> Result<(), Suspect> {
        for row in &page.rows {
            // A row that does not decode is not the appender's either.
            let Ok(row) = EventRow::decode(row) else {
                let position = row.try_get(0).unwrap_or(self.expect);
                return Err(Suspect::Mismatch { position });
            };
            self.check(&row, page.anchors.get(&row.position))?;
        }
        Ok(())
    }

    fn check(
        &mut self,
        row: &EventRow<'_>,
        anchor: Option<&Option<ChainHash>>,
    ) -> Result<(), Suspect> {
        let position = row.position;
        if position > self.head {
            return Err(Suspect::BeyondHead { position });
        }
        if position != self.expect {
            return Err(Suspect::Gap {
                expected: self.expect,
                found: Some(position),
            });
        }
        match (&row.hash, self.prev) {
            (None, None) => self.unchained += 1,
            (None, Some(_)) => return Err(Suspect::NoHash { position }),
            (Some(stored), prev) => {
                let computed = self
                    .linker
                    .link(&prev.unwrap_or(ChainHash::ZERO), &row.fields());
                if ChainHash::from_slice(stored) != Some(computed) {
                    return Err(Suspect::Mismatch { position });
                }
                if let Some(anchor) = anchor {
                    if *anchor != Some(computed) {
                        return Err(Suspect::Anchor { position });
                    }
                    self.anchors_checked += 1;
                }
                self.prev = Some(computed);
            }
        }
        self.checked += 1;
        self.first.get_or_insert(position);
        self.last = Some(position);
        self.expect += 1;
        Ok(())
    }

    /// After the last row: events missing at the end, or a head hash that is not the
    /// chain's.
    pub(super) fn finish(&self, head_hash: Option<&Result<ChainHash, Vec<u8>>>) -> Option<Suspect> {
        if self.expect <= self.head {
            return Some(Suspect::Gap {
                expected: self.expect,
                found: None,
            });
        }
        let head_hash = head_hash.map(|h| h.as_ref().ok().copied());
        match (self.prev, head_hash) {
            (None, None) => None,
            (Some(prev), Some(Some(head))) if prev == head => None,
            _ => Some(Suspect::HeadHash),
        }
    }
}
