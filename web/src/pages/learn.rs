//! A student's screens: the published lessons of their classes, a lesson with its quiz, their progress and achievements.

use api::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
