//! The read side: read models built from the log, one module per read model.
//!
//! A read model implements [`Projection`] (its categories, its tables in schema `read`,
//! its `apply`) and owns its query functions: [`lessons`] (the catalog), [`users`]
//! (the accounts), [`classes`] (with their rosters), [`content_requests`],
//! [`student_progress`] and [`parent_links`]. [`advance_to`] applies the store's events up to a position together
//! with the projection's checkpoint in one transaction, so every event takes effect
//! exactly once; [`ProjectionWorker`] runs it live from JetStream (leader-elected,
//! catching up from the store first); [`rebuild`] builds fresh tables from the store and
//! swaps them in.
//!
//! This crate must not decide anything (that is `domain`/`commands`) and must never write
//! to the log; read models are disposable and can always be rebuilt.
//!
//! Neighbours: it reads `domain`'s events from `eventstore` (with its checkpoints and
//! leader locks) and is fed by `bus`' consumers; `api` queries its read models, and the
//! `lectern` binary runs its workers (`lectern project`) and rebuilds.

pub mod analysts;
pub mod analytics;
mod apply;
pub mod catalog;
pub mod classes;
pub mod content_requests;
mod error;
pub mod lessons;
pub mod metric;
pub mod parent_links;
mod projection;
mod rebuild;
mod stored;
mod stream_rows;
pub mod student_progress;
pub mod users;
mod worker;

pub use apply::{advance_to, position};
pub use error::ProjectionError;
pub use projection::{Projection, checkpoint_name};
pub use rebuild::{Rebuilt, rebuild};
pub use worker::ProjectionWorker;
