//! The class aggregate's rules, each in the given/when/then shape, the proofs its
//! commands take from users and lessons, and its stored events.

mod archiving;
mod assigning_lessons;
mod creating;
mod enrolling;
mod event_payloads;
mod fixtures;
mod proofs;
mod rejections;
mod unenrolling;
