//! The content request commands: parse → permission → whose lesson or request (from the
//! log) → command → response.

use axum::extract::State;
use commands::CommandOutcome;
use domain::{
    ContentRequestCommand, ContentRequestId, ContentRequestRejection, EditableLesson, LessonId,
    Permission, UserId,
};
use uuid::Uuid;

use super::ContentRequestPath;
use super::dto::{CancelContentRequest, RequestContent};
use crate::command::{CommandAccepted, CommandRequest, CommandResponse};
use crate::extract::{Json, OptionalJson};
use crate::lessons::LessonPath;
use crate::openapi::{CommandErrors, CommandHeaders};
use crate::{ApiError, AppState};

/// Request generated content for a lesson.
///
/// The lesson's author (a teacher), or an admin; another teacher's lesson is 403. The
/// lesson must be a draft or in review (422 `lesson-not-editable`; 404 `lesson-not-found`).
/// The request records the lesson's title, subject and grade, for the agents.
#[utoipa::path(
    post, path = "/v1/lessons/{id}/content-requests", tag = "content-requests",
    request_body = RequestContent,
    params(("id" = Uuid, Path, description = "The lesson's id"), CommandHeaders),
    responses(
        (status = CREATED, description = "Requested", body = CommandAccepted,
         headers(("ETag" = String, description = "The request's version, e.g. \"1\""),
                 ("Location" = String, description = "The request, /v1/content-requests/{id}"))),
        CommandErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn request(
    State(state): State<AppState>,
    LessonPath(lesson_id): LessonPath,
    request: CommandRequest,
    Json(body): Json<RequestContent>,
) -> Result<CommandResponse, ApiError> {
    let (requested, outcome) = request_content(&state, &request, lesson_id, body).await?;
    Ok(CommandResponse::created(
        outcome,
        format!("/v1/content-requests/{requested}"),
    ))
}

/// The request itself, for every front end: the request made and the command's outcome.
pub async fn request_content(
    state: &AppState,
    request: &CommandRequest,
    lesson_id: LessonId,
    body: RequestContent,
) -> Result<(ContentRequestId, CommandOutcome), ApiError> {
    request.require(Permission::RequestContent)?;
    // From the lesson's stream, not the catalog, which may be behind: its author never
    // changes, and its status is what the agents' result will be attached against.
    let (_, lesson) = state.lessons.state(lesson_id.as_uuid()).await?;
    if let Some(author) = lesson.author()
        && author.as_uuid() != request.user.user_id
        && !request.user.is_admin()
    {
        return Err(ApiError::Forbidden(format!(
            "lesson {lesson_id} is another author's: a teacher requests content only for their own lessons"
        )));
    }
    let lesson = EditableLesson::check(&lesson).map_err(ApiError::rejected)?;
    let id = body
        .content_request_id
        .unwrap_or_else(|| ContentRequestId::new(Uuid::now_v7()));
    let command = ContentRequestCommand::Request {
        request_id: id,
        lesson,
        requested_by: UserId::new(request.user.user_id),
        objectives: body.objectives,
        duration_minutes: body.duration_minutes,
        parts: body.parts,
        theme: body.theme,
    };
    let outcome = request
        .run(&state.content_requests, &state.pool, id.as_uuid(), &command)
        .await?;
    // From the outcome, not the request: a replay answers with the first request's id.
    let requested = ContentRequestId::from_stream_id(&outcome.stream_id)?;
    Ok((requested, outcome))
}

/// Cancel a content request.
///
/// Whoever requested it, or an admin. Only while it is not finished (422
/// `content-request-finished`, `content-request-already-cancelled`). The body (a reason)
/// is optional.
#[utoipa::path(
    post, path = "/v1/content-requests/{id}/cancel", tag = "content-requests",
    request_body(content = Option<CancelContentRequest>),
    params(("id" = Uuid, Path, description = "The content request's id"), CommandHeaders),
    responses((status = OK, description = "Cancelled", body = CommandAccepted), CommandErrors),
    security(("bearer" = [])),
)]
pub async fn cancel(
    State(state): State<AppState>,
    ContentRequestPath(id): ContentRequestPath,
    request: CommandRequest,
    OptionalJson(body): OptionalJson<CancelContentRequest>,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::RequestContent)?;
    let command = body.unwrap_or_default().into_command()?;
    let (_, requested) = state.content_requests.state(id.as_uuid()).await?;
    let Some(details) = requested.details() else {
        return Err(ApiError::rejected(ContentRequestRejection::NotFound));
    };
    if details.requested_by.as_uuid() != request.user.user_id && !request.user.is_admin() {
        return Err(ApiError::Forbidden(format!(
            "content request {id} is someone else's: only its requester or an admin cancels it"
        )));
    }
    let outcome = request
        .run(&state.content_requests, &state.pool, id.as_uuid(), &command)
        .await?;
    Ok(CommandResponse::ok(outcome))
}
