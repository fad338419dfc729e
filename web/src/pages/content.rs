//! The content creator: ask the agents for a lesson's content, watch their steps arrive live, and read the result (text, quiz, terrain map, Luau).

use api::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
