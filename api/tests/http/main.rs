//! The HTTP API end to end: a real server per test on a database of its own, hit with
//! reqwest. Logs print with `TEST_LOG=1`.

mod accounts;
mod auth;
mod consistency;
mod errors;
mod helpers;
mod idempotency;
mod lessons;
mod operations;
mod request_id;
mod sign_in;
mod users;
mod users_read;
mod versions;
