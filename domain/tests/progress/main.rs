//! The progress aggregate's rules, each in the given/when/then shape, the class proof a
//! start takes, its stream id, and its stored events.

mod completing;
mod event_payloads;
mod fixtures;
mod proofs;
mod recording;
mod rejections;
mod starting;
