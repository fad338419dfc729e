//! The lesson aggregate's rules, each in the given/when/then shape, and its stored events.

mod approving;
mod archiving;
mod attaching_generated_content;
mod drafting;
mod event_payloads;
mod fixtures;
mod publishing;
mod rejections;
mod revising;
mod submitting;
