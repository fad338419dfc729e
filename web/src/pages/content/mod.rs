//! The content creator: a teacher asks the agents for a lesson's content (objectives,
//! length, parts, theme), watches the steps arrive live (supervisor, then content, quiz,
//! terrain and script, then the review and its findings), and reads the result: the lesson
//! text, the quiz, the terrain as a top-down map and the Luau script with line numbers.
//!
//! Reads and the request itself go through the REST routes' own functions
//! (`api::content_requests::{filter_for, may_see, request_content}`); the steps come from
//! the request's stream, which is always current. Nothing here judges content: the review
//! is the agents' ([`agents::review`]).
//!
//! - [`ask`]: the list of one's requests and the form to make one;
//! - [`progress`]: a request's page, its live steps and its result;
//! - [`result`]: the lesson plan, quiz and script; [`terrain_map`]: the terrain as SVG.

mod ask;
mod progress;
mod result;
pub mod terrain_map;

use api::AppState;
use axum::Router;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/content", get(ask::list).post(ask::create))
        .route("/content/new", get(ask::new))
        .route("/content/{id}", get(progress::show))
        .route("/content/{id}/steps", get(progress::steps))
        .route("/content/{id}/live", get(progress::live))
}
