//! The HTTP API end to end: a real server per test on a database of its own, hit with
//! reqwest. Logs print with `TEST_LOG=1`.

mod accounts;
mod agent_results;
mod analysts;
mod analytics;
mod audit;
mod auth;
mod classes;
mod classes_read;
mod classrooms;
mod consistency;
mod content_requests;
mod content_requests_read;
mod docs_in_a_browser;
mod enrollments;
mod errors;
mod helpers;
mod hostile;
mod idempotency;
mod lessons;
mod live;
mod metrics;
mod operations;
mod progress;
mod progress_read;
mod request_id;
mod schema_evolution;
mod school_routes;
mod security_events;
mod sign_in;
mod slow_clients;
mod time_travel;
mod users;
mod users_read;
mod versions;
