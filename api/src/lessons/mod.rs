//! The lesson routes.
//!
//! | route | does | who |
//! |---|---|---|
//! | `POST /v1/lessons` | draft (201, `Location`) | teacher, admin |
//! | `PATCH /v1/lessons/{id}` | revise a draft | teacher, admin |
//! | `POST /v1/lessons/{id}/submit` | submit for review | teacher, admin |
//! | `POST /v1/lessons/{id}/approve` | approve | admin |
//! | `POST /v1/lessons/{id}/publish` | publish | admin |
//! | `POST /v1/lessons/{id}/archive` | archive | admin |
//! | `POST /v1/lessons/{id}/generated-content` | attach a content request's generated content | agent, admin |
//! | `GET /v1/lessons` | list (`subject`, `grade`, `status`, `q`, `cursor`, `limit`) | anyone signed in |
//! | `GET /v1/lessons/{id}` | one lesson | anyone signed in |
//!
//! Who may do what is `domain::access` (`create:content`, `review:content`,
//! `submit:agent_results`); which lessons a caller sees is [`read`]'s rule.

mod dto;
mod generated;
mod read;
mod write;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use domain::LessonId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::{ApiError, AppState};

pub use dto::{
    ArchiveLesson, AttachGeneratedContent, DraftLesson, LessonList, LessonView, ListLessons,
    ReviseLesson,
};
pub use generated::RequestOfAnotherLesson;
pub(crate) use read::may_see_lesson;
pub use read::{filter_for, may_see};
pub use write::draft_lesson;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(write::draft, read::list))
        .routes(routes!(write::revise, read::get))
        .routes(routes!(write::submit))
        .routes(routes!(write::approve))
        .routes(routes!(write::publish))
        .routes(routes!(write::archive))
        .routes(routes!(generated::attach))
}

/// The `{id}` of a lesson route; 400 naming `lesson_id` when it is not a UUID.
pub struct LessonPath(pub LessonId);

impl<S: Send + Sync> FromRequestParts<S> for LessonPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|rejection| ApiError::Malformed(rejection.body_text()))?;
        Ok(Self(LessonId::parse(&raw)?))
    }
}
