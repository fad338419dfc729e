//! What the `lectern` process does, one file per command that runs something (ten roles):
//! the long-running ones (`serve`, `relay`, `project`, `agent`, and `dev`, which runs them
//! all in one process) and the one-shot commands (`migrate`, `users create`, `analyst-role
//! create`, `projections rebuild`, and `audit stream|log|export|verify`). Each connects,
//! migrates (all but `audit`, which only reads the database as it finds it, or a server),
//! and runs library code; none holds business logic. `lectern bench` is not a role: it
//! lives in `src/bench/`.

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
