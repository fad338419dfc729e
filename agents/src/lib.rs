//! The agent workers: they take each `ContentRequested` event from JetStream and run the
//! seeds' content pipeline for it — content agent, then the quiz, terrain and script
//! agents in parallel, then review — recording every step on the content request's stream
//! and ending it as generated (attaching the content to the lesson) or failed.
//!
//! Agents act like any client: they submit their results as commands with the agent role,
//! through `commands`, so the domain's rules apply to them too. They must not write to the
//! store or read models directly, and must never log provider keys.
//!
//! Layout: [`task`] is what an agent is asked; [`provider`] where its text comes from
//! (offline templates, OpenAI-compatible and Anthropic HTTP APIs, a fallback chain with
//! retries and circuit breakers); [`outputs`] the shapes of the parts and their parsing;
//! [`review`] the checks every output must pass; [`supervisor`] the pipeline of one
//! request; [`worker`] the JetStream consumer that runs supervisors.
//!
//! Neighbours: it consumes `domain`'s events through `bus`, submits through `commands`
//! (over `eventstore`), and is run by the `lectern agent` role; no crate but the binary
//! uses it.

pub mod metric;
pub mod outputs;
pub mod prompt;
pub mod provider;
pub mod review;
pub mod supervisor;
pub mod task;
pub mod worker;

pub use supervisor::{Handled, Supervisor};
pub use task::{Brief, Task};
pub use worker::{AgentWorker, WorkerConfig};
