//! The content request aggregate's rules, each in the given/when/then shape, the lesson
//! proof a request takes, and its stored events.

mod cancelling;
mod event_payloads;
mod fixtures;
mod marking;
mod proofs;
mod rejections;
mod requesting;
mod steps;
