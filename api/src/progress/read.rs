//! The progress queries, on `read.student_progress`.
//!
//! Who sees whose progress: a student (`read:own_progress`) their own; a parent
//! (`read:linked_children`) their linked children's, the link checked on the child's own
//! account stream (the log, so a link made a moment ago counts); analysts and admins
//! (`read:read_models`) everyone's. Teachers see their students' progress per class
//! (`GET /v1/classes/{id}/progress`). A student the caller may not see is "not found"
//! (404); roles with none of these permissions are refused (403).

use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, header};
use domain::{Permission, UserId};
use projections::student_progress::{self, StudentProgress, StudentProgressFilter};

use super::dto::{ListProgress, ProgressList, ProgressView};
use crate::auth::Authenticated;
use crate::command::etag;
use crate::consistency::{self, Consistency, ReadPosition};
use crate::extract::{Json, Query};
use crate::lessons::LessonPath;
use crate::openapi::QueryErrors;
use crate::users::UserPath;
use crate::{ApiError, AppState, paging};

/// The caller's own progress in one lesson.
#[utoipa::path(
    get, path = "/v1/progress/{lesson_id}", tag = "progress",
    params(("lesson_id" = uuid::Uuid, Path, description = "The lesson's id"), Consistency),
    responses(
        (status = OK, description = "The caller's progress in the lesson", body = ProgressView,
         headers(("ETag" = String, description = "The progress's version, for If-Match"),
                 ("Lectern-Position" = i64, description = "How far the progress had applied the log"))),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn get(
    State(state): State<AppState>,
    user: Authenticated,
    LessonPath(lesson_id): LessonPath,
    Query(consistency): Query<Consistency>,
) -> Result<
    (
        ReadPosition,
        [(HeaderName, HeaderValue); 1],
        Json<ProgressView>,
    ),
    ApiError,
> {
    user.require(Permission::ReadOwnProgress)?;
    let position = read_position(&state, consistency).await?;
    let row = student_progress::get(&state.pool, user.user_id, lesson_id.as_uuid())
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("lesson {lesson_id} is not started")))?;
    let tag = etag(row.version);
    Ok((position, [(header::ETAG, tag)], Json(row.into())))
}

/// The caller's own progress, filtered, a page at a time.
#[utoipa::path(
    get, path = "/v1/progress", tag = "progress",
    params(ListProgress, Consistency),
    responses(
        (status = OK, description = "A page of the caller's progress", body = ProgressList,
         headers(("Lectern-Position" = i64, description = "How far the progress had applied the log"))),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn mine(
    State(state): State<AppState>,
    user: Authenticated,
    Query(query): Query<ListProgress>,
    Query(consistency): Query<Consistency>,
) -> Result<(ReadPosition, Json<ProgressList>), ApiError> {
    user.require(Permission::ReadOwnProgress)?;
    let student = UserId::new(user.user_id);
    list(&state, student, query, consistency).await
}

/// A student's progress, filtered, a page at a time.
///
/// The student, their linked parents, admins and analysts.
#[utoipa::path(
    get, path = "/v1/students/{id}/progress", tag = "progress",
    params(("id" = uuid::Uuid, Path, description = "The student's id"), ListProgress, Consistency),
    responses(
        (status = OK, description = "A page of the student's progress", body = ProgressList,
         headers(("Lectern-Position" = i64, description = "How far the progress had applied the log"))),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn of_student(
    State(state): State<AppState>,
    user: Authenticated,
    UserPath(student): UserPath,
    Query(query): Query<ListProgress>,
    Query(consistency): Query<Consistency>,
) -> Result<(ReadPosition, Json<ProgressList>), ApiError> {
    let readers = [
        Permission::ReadOwnProgress,
        Permission::ReadLinkedChildren,
        Permission::ReadReadModels,
    ];
    if !readers.iter().any(|permission| user.can(*permission)) {
        return Err(ApiError::Forbidden(format!(
            "the role `{}` may not read students' progress",
            user.role
        )));
    }
    if !may_see(&state, &user, student).await? {
        return Err(ApiError::NotFound(format!(
            "there is no student {student} whose progress you may see"
        )));
    }
    list(&state, student, query, consistency).await
}

/// Whether `user` may see `student`'s progress (the student, a linked parent, admins and
/// analysts); the link is read from the student's account stream.
pub(crate) async fn may_see(
    state: &AppState,
    user: &Authenticated,
    student: UserId,
) -> Result<bool, ApiError> {
    if user.can(Permission::ReadReadModels)
        || (student.as_uuid() == user.user_id && user.can(Permission::ReadOwnProgress))
    {
        return Ok(true);
    }
    if !user.can(Permission::ReadLinkedChildren) {
        return Ok(false);
    }
    let (_, account) = state.users.state(student.as_uuid()).await?;
    Ok(account.parents().contains(&UserId::new(user.user_id)))
}

async fn list(
    state: &AppState,
    student: UserId,
    query: ListProgress,
    consistency: Consistency,
) -> Result<(ReadPosition, Json<ProgressList>), ApiError> {
    let filter = StudentProgressFilter {
        lesson_id: query.lesson_id,
        class_id: query.class_id,
        status: paging::status(query.status, "in_progress, completed")?,
        after: query.cursor,
        limit: paging::limit(query.limit)?,
    };
    let position = read_position(state, consistency).await?;
    let page = student_progress::for_student(&state.pool, student.as_uuid(), &filter).await?;
    Ok((
        position,
        Json(ProgressList {
            student_id: student.as_uuid(),
            progress: page.progress.into_iter().map(ProgressView::from).collect(),
            next_cursor: page.next,
        }),
    ))
}

async fn read_position(
    state: &AppState,
    consistency: Consistency,
) -> Result<ReadPosition, ApiError> {
    let wait = state.config.consistency_wait();
    consistency::read_position(&state.pool, &StudentProgress, consistency, wait).await
}
