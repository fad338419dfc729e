//! What the fault tests share: the `lectern` binary as a child process that can be killed
//! and restarted, an HTTP client that records every answer, a load of lesson commands with
//! `Idempotency-Key`s, and the oracles (the store holds every acknowledged command exactly
//! once, JetStream holds the log exactly once in position order, each read model equals a
//! fresh rebuild).
//!
//! By seam: [`processes`] (spawning and killing `lectern`, ports, tokens), [`load`] (the HTTP
//! clients and the record of acknowledged commands) and [`checks`] (the oracles). Everything
//! is re-exported here, so tests use `crate::support::…`.

mod checks;
mod load;
mod processes;

pub use checks::*;
pub use load::*;
pub use processes::*;
