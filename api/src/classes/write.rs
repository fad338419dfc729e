//! The class commands: parse → permission → whose class → proofs about the other
//! aggregates (loaded from the log right before the command) → command → response.

use axum::extract::State;
use commands::CommandOutcome;
use domain::{
    ActiveStudent, ActiveTeacher, ClassCommand, ClassId, Permission, PublishedLesson, UserId,
};
use uuid::Uuid;

use super::access::managed_class;
use super::dto::{AssignLesson, CreateClass, EnrollStudent};
use super::{AssignmentPath, ClassPath, EnrollmentPath};
use crate::command::{CommandAccepted, CommandRequest, CommandResponse};
use crate::extract::Json;
use crate::openapi::{CommandErrors, CommandHeaders};
use crate::{ApiError, AppState};

/// Create a class.
///
/// Teachers, for themselves (`teacher_id` absent or their own; another is 403); admins,
/// naming the teacher. The teacher must be an active teacher (else 422
/// `not-an-active-teacher`).
#[utoipa::path(
    post, path = "/v1/classes", tag = "classes",
    request_body = CreateClass,
    params(CommandHeaders),
    responses(
        (status = CREATED, description = "Created", body = CommandAccepted,
         headers(("ETag" = String, description = "The class's version, e.g. \"1\""),
                 ("Location" = String, description = "The class, /v1/classes/{id}"))),
        CommandErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn create(
    State(state): State<AppState>,
    request: CommandRequest,
    Json(body): Json<CreateClass>,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::ManageClasses)?;
    let caller = UserId::new(request.user.user_id);
    let teacher_id = body.teacher_id.unwrap_or(caller);
    if teacher_id != caller && !request.user.is_admin() {
        return Err(ApiError::Forbidden(
            "a teacher creates classes only for themself; leave out teacher_id".into(),
        ));
    }
    let (_, teacher) = state.users.state(teacher_id.as_uuid()).await?;
    let teacher = ActiveTeacher::check(&teacher).map_err(ApiError::rejected)?;
    let class_id = body
        .class_id
        .unwrap_or_else(|| ClassId::new(Uuid::now_v7()));
    let command = ClassCommand::Create {
        class_id,
        name: body.name,
        subject: body.subject,
        grade_level: body.grade_level,
        max_students: body.max_students,
        teacher,
    };
    let outcome = run(&state, &request, class_id, &command).await?;
    // From the outcome, not the request: a replay answers with the first request's class.
    let created = ClassId::from_stream_id(&outcome.stream_id)?;
    Ok(CommandResponse::created(
        outcome,
        format!("/v1/classes/{created}"),
    ))
}

/// Enroll a student.
///
/// The class's teacher, or an admin. The student must be an active student (422
/// `not-an-active-student`); a full class is 422 `class-is-full`, also when enrollments
/// race for its last seat.
#[utoipa::path(
    post, path = "/v1/classes/{id}/enrollments", tag = "classes",
    request_body = EnrollStudent,
    params(("id" = Uuid, Path, description = "The class's id"), CommandHeaders),
    responses((status = OK, description = "Enrolled", body = CommandAccepted), CommandErrors),
    security(("bearer" = [])),
)]
pub async fn enroll(
    State(state): State<AppState>,
    ClassPath(id): ClassPath,
    request: CommandRequest,
    Json(body): Json<EnrollStudent>,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::ManageClasses)?;
    managed_class(&state, &request.user, id).await?;
    let (_, student) = state.users.state(body.student_id.as_uuid()).await?;
    let student = ActiveStudent::check(&student).map_err(ApiError::rejected)?;
    run_ok(&state, &request, id, &ClassCommand::Enroll { student }).await
}

/// Unenroll a student.
///
/// The class's teacher, or an admin. The student need not be active any more.
#[utoipa::path(
    delete, path = "/v1/classes/{id}/enrollments/{student_id}", tag = "classes",
    params(
        ("id" = Uuid, Path, description = "The class's id"),
        ("student_id" = Uuid, Path, description = "The enrolled student's id"),
        CommandHeaders,
    ),
    responses((status = OK, description = "Unenrolled", body = CommandAccepted), CommandErrors),
    security(("bearer" = [])),
)]
pub async fn unenroll(
    State(state): State<AppState>,
    EnrollmentPath(id, student_id): EnrollmentPath,
    request: CommandRequest,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::ManageClasses)?;
    managed_class(&state, &request.user, id).await?;
    run_ok(&state, &request, id, &ClassCommand::Unenroll { student_id }).await
}

/// Assign a lesson to a class.
///
/// The class's teacher, or an admin. Only a published lesson (422 `lesson-not-published`).
#[utoipa::path(
    post, path = "/v1/classes/{id}/lessons", tag = "classes",
    request_body = AssignLesson,
    params(("id" = Uuid, Path, description = "The class's id"), CommandHeaders),
    responses((status = OK, description = "Assigned", body = CommandAccepted), CommandErrors),
    security(("bearer" = [])),
)]
pub async fn assign_lesson(
    State(state): State<AppState>,
    ClassPath(id): ClassPath,
    request: CommandRequest,
    Json(body): Json<AssignLesson>,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::ManageClasses)?;
    managed_class(&state, &request.user, id).await?;
    let (_, lesson) = state.lessons.state(body.lesson_id.as_uuid()).await?;
    let lesson = PublishedLesson::check(&lesson).map_err(ApiError::rejected)?;
    run_ok(&state, &request, id, &ClassCommand::AssignLesson { lesson }).await
}

/// Unassign a lesson.
///
/// The class's teacher, or an admin. The lesson need not be published any more.
#[utoipa::path(
    delete, path = "/v1/classes/{id}/lessons/{lesson_id}", tag = "classes",
    params(
        ("id" = Uuid, Path, description = "The class's id"),
        ("lesson_id" = Uuid, Path, description = "The assigned lesson's id"),
        CommandHeaders,
    ),
    responses((status = OK, description = "Unassigned", body = CommandAccepted), CommandErrors),
    security(("bearer" = [])),
)]
pub async fn unassign_lesson(
    State(state): State<AppState>,
    AssignmentPath(id, lesson_id): AssignmentPath,
    request: CommandRequest,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::ManageClasses)?;
    managed_class(&state, &request.user, id).await?;
    let command = ClassCommand::UnassignLesson { lesson_id };
    run_ok(&state, &request, id, &command).await
}

/// Archive a class.
///
/// The class's teacher, or an admin. Its roster and lessons stay, frozen: no enrollment
/// or assignment afterwards (422 `class-archived`).
#[utoipa::path(
    post, path = "/v1/classes/{id}/archive", tag = "classes",
    params(("id" = Uuid, Path, description = "The class's id"), CommandHeaders),
    responses((status = OK, description = "Archived", body = CommandAccepted), CommandErrors),
    security(("bearer" = [])),
)]
pub async fn archive(
    State(state): State<AppState>,
    ClassPath(id): ClassPath,
    request: CommandRequest,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::ManageClasses)?;
    managed_class(&state, &request.user, id).await?;
    run_ok(&state, &request, id, &ClassCommand::Archive).await
}

/// Run a class command in the class's lane.
async fn run(
    state: &AppState,
    request: &CommandRequest,
    id: ClassId,
    command: &ClassCommand,
) -> Result<CommandOutcome, ApiError> {
    let _turn = state.class_lanes.enter(id).await;
    request
        .run(&state.classes, &state.pool, id.as_uuid(), command)
        .await
}

async fn run_ok(
    state: &AppState,
    request: &CommandRequest,
    id: ClassId,
    command: &ClassCommand,
) -> Result<CommandResponse, ApiError> {
    Ok(CommandResponse::ok(run(state, request, id, command).await?))
}
