//! The auditor's screens: the log explorer, a stream's history with its state at any version or time, verify with its progress and the first broken position, NDJSON export.

use api::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
