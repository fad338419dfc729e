//! A teacher's classes: create one with a capacity, enroll and unenroll students, the roster.

use api::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
