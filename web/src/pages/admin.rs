//! The admin's screens: user management, system monitoring (refreshing live), the effective configuration with secrets masked.

use api::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
