//! The progress commands: parse → permission → (for a start, the class fact from the log)
//! → command on the caller's own progress stream → response.

use axum::extract::State;
use domain::{EnrolledWithLesson, LessonId, Permission, ProgressCommand, ProgressId, UserId};

use super::dto::{CompleteLesson, RecordProgress, StartLesson};
use crate::command::{CommandAccepted, CommandRequest, CommandResponse};
use crate::extract::Json;
use crate::lessons::LessonPath;
use crate::openapi::{CommandErrors, CommandHeaders};
use crate::{ApiError, AppState};

/// Start a lesson.
///
/// Students, for themselves. The student must be enrolled in `class_id` (422
/// `student-not-enrolled`), which must have the lesson (422 `lesson-not-assigned-to-class`)
/// and not be archived (422 `class-archived`). A lesson is started once (409
/// `progress-already-started`).
#[utoipa::path(
    post, path = "/v1/progress/{lesson_id}/start", tag = "progress",
    request_body = StartLesson,
    params(("lesson_id" = Uuid, Path, description = "The lesson's id"), CommandHeaders),
    responses(
        (status = CREATED, description = "Started", body = CommandAccepted,
         headers(("ETag" = String, description = "The progress's version, e.g. \"1\""),
                 ("Location" = String, description = "The caller's progress, /v1/progress/{lesson_id}"))),
        CommandErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn start(
    State(state): State<AppState>,
    LessonPath(lesson_id): LessonPath,
    request: CommandRequest,
    Json(body): Json<StartLesson>,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::RecordOwnProgress)?;
    let student = UserId::new(request.user.user_id);
    // The class from its stream, never the roster read model: see
    // `domain::progress::proofs` for why, and for the window that remains.
    let (_, class) = state.classes.state(body.class_id.as_uuid()).await?;
    let class =
        EnrolledWithLesson::check(&class, student, lesson_id).map_err(ApiError::rejected)?;
    let stream = class.progress_id();
    let command = ProgressCommand::Start { class };
    let outcome = request
        .run(&state.progress, &state.pool, stream.as_uuid(), &command)
        .await?;
    Ok(CommandResponse::created(
        outcome,
        format!("/v1/progress/{lesson_id}"),
    ))
}

/// Record progress in a lesson.
///
/// Students, for themselves. Completion never decreases (422
/// `completion-cannot-decrease`); the lesson must be started (404 `progress-not-started`)
/// and not completed (422 `progress-already-completed`).
#[utoipa::path(
    post, path = "/v1/progress/{lesson_id}", tag = "progress",
    request_body = RecordProgress,
    params(("lesson_id" = Uuid, Path, description = "The lesson's id"), CommandHeaders),
    responses((status = OK, description = "Recorded", body = CommandAccepted), CommandErrors),
    security(("bearer" = [])),
)]
pub async fn record(
    State(state): State<AppState>,
    LessonPath(lesson_id): LessonPath,
    request: CommandRequest,
    Json(body): Json<RecordProgress>,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::RecordOwnProgress)?;
    let command = ProgressCommand::Record {
        completion: body.completion,
        xp_earned: body.xp_earned,
    };
    run(&state, &request, lesson_id, &command).await
}

/// Complete a lesson.
///
/// Students, for themselves. Completion becomes 100 and `xp_awarded` is added, once (422
/// `progress-already-completed` afterwards).
#[utoipa::path(
    post, path = "/v1/progress/{lesson_id}/complete", tag = "progress",
    request_body = CompleteLesson,
    params(("lesson_id" = Uuid, Path, description = "The lesson's id"), CommandHeaders),
    responses((status = OK, description = "Completed", body = CommandAccepted), CommandErrors),
    security(("bearer" = [])),
)]
pub async fn complete(
    State(state): State<AppState>,
    LessonPath(lesson_id): LessonPath,
    request: CommandRequest,
    Json(body): Json<CompleteLesson>,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::RecordOwnProgress)?;
    let command = ProgressCommand::Complete {
        xp_awarded: body.xp_awarded,
    };
    run(&state, &request, lesson_id, &command).await
}

/// Run `command` on the caller's own progress in the lesson.
async fn run(
    state: &AppState,
    request: &CommandRequest,
    lesson_id: LessonId,
    command: &ProgressCommand,
) -> Result<CommandResponse, ApiError> {
    let stream = ProgressId::for_student_lesson(UserId::new(request.user.user_id), lesson_id);
    let outcome = request
        .run(&state.progress, &state.pool, stream.as_uuid(), command)
        .await?;
    Ok(CommandResponse::ok(outcome))
}
