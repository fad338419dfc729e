//! The lesson commands: parse → permission → command → response. The rules of the
//! lesson's life (what may happen in which status) are `domain::Lesson`'s.

use axum::extract::State;
use commands::CommandOutcome;
use domain::{LessonCommand, LessonId, Permission, UserId};
use uuid::Uuid;

use super::LessonPath;
use super::dto::{ArchiveLesson, DraftLesson, ReviseLesson};
use crate::command::{CommandAccepted, CommandRequest, CommandResponse};
use crate::extract::{Json, OptionalJson};
use crate::openapi::{CommandErrors, CommandHeaders};
use crate::{ApiError, AppState};

/// Draft a lesson.
///
/// Teachers and admins. The caller becomes its author.
#[utoipa::path(
    post, path = "/v1/lessons", tag = "lessons",
    request_body = DraftLesson,
    params(CommandHeaders),
    responses(
        (status = CREATED, description = "Drafted", body = CommandAccepted,
         headers(("ETag" = String, description = "The lesson's version, e.g. \"1\""),
                 ("Location" = String, description = "The lesson, /v1/lessons/{id}"))),
        CommandErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn draft(
    State(state): State<AppState>,
    request: CommandRequest,
    Json(body): Json<DraftLesson>,
) -> Result<CommandResponse, ApiError> {
    let (drafted, outcome) = draft_lesson(&state, &request, body).await?;
    Ok(CommandResponse::created(
        outcome,
        format!("/v1/lessons/{drafted}"),
    ))
}

/// The draft itself, for every front end: the lesson drafted and the command's outcome.
pub async fn draft_lesson(
    state: &AppState,
    request: &CommandRequest,
    body: DraftLesson,
) -> Result<(LessonId, CommandOutcome), ApiError> {
    request.require(Permission::CreateContent)?;
    let lesson_id = body
        .lesson_id
        .unwrap_or_else(|| LessonId::new(Uuid::now_v7()));
    let command = body.into_command(lesson_id, UserId::new(request.user.user_id));
    let outcome = request
        .run(&state.lessons, &state.pool, lesson_id.as_uuid(), &command)
        .await?;
    // From the outcome, not the request: a replay answers with the first request's lesson.
    let drafted = LessonId::from_stream_id(&outcome.stream_id)?;
    Ok((drafted, outcome))
}

/// Revise a draft.
///
/// Teachers and admins. The fields given replace the current ones.
#[utoipa::path(
    patch, path = "/v1/lessons/{id}", tag = "lessons",
    request_body = ReviseLesson,
    params(("id" = Uuid, Path, description = "The lesson's id"), CommandHeaders),
    responses((status = OK, description = "Revised", body = CommandAccepted), CommandErrors),
    security(("bearer" = [])),
)]
pub async fn revise(
    State(state): State<AppState>,
    LessonPath(id): LessonPath,
    request: CommandRequest,
    Json(body): Json<ReviseLesson>,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::CreateContent)?;
    let command = LessonCommand::from(body);
    run(&state, &request, id, &command).await
}

/// Submit a draft for review.
///
/// Teachers and admins.
#[utoipa::path(
    post, path = "/v1/lessons/{id}/submit", tag = "lessons",
    params(("id" = Uuid, Path, description = "The lesson's id"), CommandHeaders),
    responses((status = OK, description = "Submitted", body = CommandAccepted), CommandErrors),
    security(("bearer" = [])),
)]
pub async fn submit(
    State(state): State<AppState>,
    LessonPath(id): LessonPath,
    request: CommandRequest,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::CreateContent)?;
    run(&state, &request, id, &LessonCommand::SubmitForReview).await
}

/// Approve a lesson in review.
///
/// Admins; the caller is recorded as the reviewer.
#[utoipa::path(
    post, path = "/v1/lessons/{id}/approve", tag = "lessons",
    params(("id" = Uuid, Path, description = "The lesson's id"), CommandHeaders),
    responses((status = OK, description = "Approved", body = CommandAccepted), CommandErrors),
    security(("bearer" = [])),
)]
pub async fn approve(
    State(state): State<AppState>,
    LessonPath(id): LessonPath,
    request: CommandRequest,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::ReviewContent)?;
    let reviewer = UserId::new(request.user.user_id);
    run(&state, &request, id, &LessonCommand::Approve { reviewer }).await
}

/// Publish an approved lesson.
///
/// Admins.
#[utoipa::path(
    post, path = "/v1/lessons/{id}/publish", tag = "lessons",
    params(("id" = Uuid, Path, description = "The lesson's id"), CommandHeaders),
    responses((status = OK, description = "Published", body = CommandAccepted), CommandErrors),
    security(("bearer" = [])),
)]
pub async fn publish(
    State(state): State<AppState>,
    LessonPath(id): LessonPath,
    request: CommandRequest,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::ReviewContent)?;
    run(&state, &request, id, &LessonCommand::Publish).await
}

/// Archive a lesson.
///
/// Admins. The body (a reason) is optional.
#[utoipa::path(
    post, path = "/v1/lessons/{id}/archive", tag = "lessons",
    request_body(content = Option<ArchiveLesson>),
    params(("id" = Uuid, Path, description = "The lesson's id"), CommandHeaders),
    responses((status = OK, description = "Archived", body = CommandAccepted), CommandErrors),
    security(("bearer" = [])),
)]
pub async fn archive(
    State(state): State<AppState>,
    LessonPath(id): LessonPath,
    request: CommandRequest,
    OptionalJson(body): OptionalJson<ArchiveLesson>,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::ReviewContent)?;
    let command = body.unwrap_or_default().into_command()?;
    run(&state, &request, id, &command).await
}

async fn run(
    state: &AppState,
    request: &CommandRequest,
    id: LessonId,
    command: &LessonCommand,
) -> Result<CommandResponse, ApiError> {
    let outcome = request
        .run(&state.lessons, &state.pool, id.as_uuid(), command)
        .await?;
    Ok(CommandResponse::ok(outcome))
}
