//! What the `lectern` process does, one file per command that runs something: the
//! long-running roles (`relay`, `project`) and the maintenance commands (`migrate`,
//! `projections rebuild`). Each connects, migrates, and runs library code; none holds
//! business logic.

pub mod agent;
pub mod analyst_role;
pub mod audit;
pub mod dev;
pub mod migrate;
pub mod project;
pub mod rebuild;
pub mod relay;
pub mod serve;
pub mod users;
