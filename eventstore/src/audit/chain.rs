//! The hash chain: `hash(n) = sha256(hash(n-1) ‖ canonical bytes of event n)`, with 32 zero
//! bytes before the first event. The appender links each event under the log lock; the
//! verifier relinks them from what the table holds.
//!
//! This module only hashes; it must not read or write the database.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

use super::canonical::{self, EventFields};

/// A SHA-256 hash of the chain; shown and serialized as 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ChainHash(pub [u8; 32]);

impl ChainHash {
    /// The previous hash of the first event of the chain.
    pub const ZERO: ChainHash = ChainHash([0; 32]);

    /// A hash as stored (`bytea`); None unless it is exactly 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(ChainHash)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    pub fn to_hex(&self) -> String {
        self.to_string()
    }

    /// Parse 64 hex digits (either case).
    pub fn from_hex(hex: &str) -> Option<Self> {
        let hex = hex.as_bytes();
        if hex.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
            let digit = |c: u8| char::from(c).to_digit(16);
            *byte = u8::try_from(digit(pair[0])? * 16 + digit(pair[1])?).ok()?;
        }
        Some(ChainHash(out))
    }
}

impl fmt::Display for ChainHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ChainHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChainHash({self})")
    }
}

impl Serialize for ChainHash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ChainHash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let hex = String::deserialize(deserializer)?;
        ChainHash::from_hex(&hex).ok_or_else(|| serde::de::Error::custom("expected 64 hex digits"))
    }
}

/// Links events into the chain, reusing one buffer for their canonical bytes.
#[derive(Debug, Default)]
pub struct Linker {
    buffer: Vec<u8>,
}

impl Linker {
    pub fn new() -> Self {
        Self::default()
    }

    /// The hash of `event` following `previous`.
    pub fn link(&mut self, previous: &ChainHash, event: &EventFields<'_>) -> ChainHash {
        self.buffer.clear();
        canonical::write_event(&mut self.buffer, event);
        link_bytes(previous, &self.buffer)
    }
}

/// `sha256(previous ‖ canonical)`.
pub fn link_bytes(previous: &ChainHash, canonical: &[u8]) -> ChainHash {
    let mut hasher = Sha256::new();
    hasher.update(previous.0);
    hasher.update(canonical);
    ChainHash(hasher.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        let hash = link_bytes(&ChainHash::ZERO, b"{}");
        assert_eq!(hash.to_hex().len(), 64);
        assert_eq!(ChainHash::from_hex(&hash.to_hex()), Some(hash));
        assert_eq!(
            ChainHash::from_hex(&hash.to_hex().to_uppercase()),
            Some(hash)
        );
        assert_eq!(ChainHash::from_hex("zz"), None);
        assert_eq!(
            serde_json::to_value(hash).expect("serializes"),
            serde_json::Value::String(hash.to_hex())
        );
    }

    #[test]
    fn link_is_sha256_of_previous_then_bytes() {
        // sha256(32 zero bytes ‖ "{}"), computed with Python's hashlib.
        assert_eq!(
            link_bytes(&ChainHash::ZERO, b"{}").to_hex(),
            "fb1634c4e6cd4b1f1afe3ce2d6ef080f7ac5d1f357d723ad4dfca782733b62db"
        );
    }
}
