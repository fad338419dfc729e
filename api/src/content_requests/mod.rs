//! The content request routes: asking the agents for generated content for a lesson,
//! taking the request back, and the agents' side of the work (steps, outcome).
//!
//! | route | does | who |
//! |---|---|---|
//! | `POST /v1/lessons/{id}/content-requests` | request (201, `Location`) | the lesson's author (a teacher), admin |
//! | `POST /v1/content-requests/{id}/cancel` | cancel while not finished | whoever requested it, admin |
//! | `POST /v1/content-requests/{id}/steps` | record an agent step: `started`, `completed`, `failed` | agent, admin |
//! | `POST /v1/content-requests/{id}/generated` | mark generated, with the outputs | agent, admin |
//! | `POST /v1/content-requests/{id}/failed` | mark failed, with the reason | agent, admin |
//! | `GET /v1/content-requests` | list (`status`, `lesson_id`, `requested_by`, `cursor`, `limit`) | teachers (their own), admin, analyst |
//! | `GET /v1/content-requests/{id}` | one request | whoever requested it, admin, analyst |
//!
//! The permissions are `request:content` and, for the agents' routes,
//! `submit:agent_results` (`domain::access`); whose lesson or request it is is checked
//! here against the aggregates' own state; the rules of a request's life are
//! `domain::ContentRequest`'s. Attaching the generated content to the lesson is a lesson
//! route (`POST /v1/lessons/{id}/generated-content`, [`crate::lessons`]).

mod agents;
mod dto;
mod read;
mod write;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use domain::ContentRequestId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::{ApiError, AppState};

pub use dto::{
    CancelContentRequest, ContentRequestList, ContentRequestView, ListContentRequests, MarkFailed,
    MarkGenerated, RecordStep, RequestContent, StepStatus, StepUsage,
};
pub(crate) use read::may_see as may_see_request;
pub use read::{filter_for, may_see};
pub use write::request_content;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(write::request))
        .routes(routes!(write::cancel))
        .routes(routes!(agents::steps))
        .routes(routes!(agents::generated))
        .routes(routes!(agents::failed))
        .routes(routes!(read::list))
        .routes(routes!(read::get))
}

/// The `{id}` of a content request route; 400 naming `content_request_id` when it is not
/// a UUID.
pub struct ContentRequestPath(pub ContentRequestId);

impl<S: Send + Sync> FromRequestParts<S> for ContentRequestPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|rejection| ApiError::Malformed(rejection.body_text()))?;
        Ok(Self(ContentRequestId::parse(&raw)?))
    }
}
