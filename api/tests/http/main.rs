//! The HTTP API end to end: a real server per test on a database of its own, hit with
//! reqwest. Logs print with `TEST_LOG=1`.

mod accounts;
mod agent_results;
mod analysts;
mod analytics;
mod auth;
mod classes;
mod classes_read;
mod classrooms;
mod consistency;
mod content_requests;
mod content_requests_read;
mod enrollments;
mod errors;
mod helpers;
mod idempotency;
mod lessons;
mod operations;
mod progress;
mod progress_read;
mod request_id;
mod school_routes;
mod sign_in;
mod users;
mod users_read;
mod versions;
