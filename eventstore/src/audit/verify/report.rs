//! What a verify reports: where it started, the first break and its kind, and what it
//! checked.

use serde::{Deserialize, Serialize};

use crate::audit::anchors::Anchor;
use crate::audit::chain::ChainHash;

/// Where a verify started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum VerifyStart {
    /// From the first event of the log, linking from 32 zero bytes.
    Beginning,
    /// From an anchor: its hash was trusted as the chain's at its position, and only the
    /// events after it were verified.
    Anchor { anchor: Anchor },
}

/// How the chain breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    Altered,
    Missing,
    Reordered,
    Inserted,
}

impl std::fmt::Display for BreakKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Altered => "altered",
            Self::Missing => "missing",
            Self::Reordered => "reordered",
            Self::Inserted => "inserted",
        })
    }
}

/// The first position where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Break {
    pub position: i64,
    pub kind: BreakKind,
    /// What was found, in words.
    pub detail: String,
}

/// The outcome of a verify.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerifyReport {
    pub start: VerifyStart,
    /// Rows read, the unchained prefix included (up to the break, if any).
    pub checked: u64,
    /// Of those, rows written before the chain existed (no hash, before the first hashed
    /// row): not verifiable, not tampering.
    pub unchained_prefix: u64,
    /// The first and last position read and found in order (None: none).
    pub first_position: Option<i64>,
    pub last_position: Option<i64>,
    /// Anchors passed whose hash matched the chain.
    pub anchors_checked: u64,
    /// The head of the snapshot verified, and its hash (None before the chain started).
    pub head_position: i64,
    pub head_hash: Option<ChainHash>,
    /// The first break, if any.
    pub broken: Option<Break>,
    pub seconds: f64,
}

impl VerifyReport {
    /// True when nothing broke.
    pub fn is_clean(&self) -> bool {
        self.broken.is_none()
    }
}
