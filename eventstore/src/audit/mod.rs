//! Tamper evidence for the log: a hash chain over every event, anchors, and a verifier.
//!
//! Every event stores `hash = sha256(previous event's hash ‖ canonical bytes of the
//! event)`, chained over the whole log in position order; the first event's previous hash
//! is 32 zero bytes. The appender links each batch while it holds the log lock (batches are
//! serialized, so the chain has one order) and moves the head's hash (`es.log_head.hash`)
//! in the statement that writes the events. The canonical bytes are defined in
//! [`canonical`]; [`anchors`] records the chain's hash every N events; [`verify`] recomputes
//! the chain and reports the first break. The scheme is described for auditors in
//! `docs/audit.md`.
//!
//! What the chain proves: a change made to the table afterwards (a row altered, deleted,
//! moved or added) is detected unless whoever made it also recomputed every later hash
//! and the head's; the anchors, also written to the log output, catch that too for
//! everything before the last anchor kept outside the database. It does not prove who
//! appended an event, and it is no substitute for access control.
//!
//! This module must not know the domain: it hashes types, payloads and metadata as JSON.

pub mod anchors;
pub mod canonical;
mod chain;
mod verify;

pub use anchors::{Anchor, DEFAULT_ANCHOR_EVERY};
pub use chain::{ChainHash, Linker, link_bytes};
pub use verify::{
    Break, BreakKind, PAGE_SIZE, REORDER_WINDOW, VerifyOptions, VerifyReport, VerifyStart, verify,
    verify_with,
};
