//! The class queries, on `read.classes` and `read.class_members` (the roster), and on
//! `read.student_progress` for the progress made from a class.
//!
//! Who sees what ([`super::access`]): analysts and admins (`read:read_models`) see every
//! class; a teacher (`manage:classes`) the classes they teach, with their rosters and
//! their students' progress. A class the caller may not see is "not found" (404), as for
//! lessons; listing classes without either permission is refused (403).

use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, header};
use domain::Permission;
use projections::Projection;
use projections::classes::{self, ClassFilter, Classes, RosterFilter};
use projections::student_progress::{self, ClassProgressFilter, StudentProgress};

use super::ClassPath;
use super::access::{may_see, readable_class, sees_every_class};
use super::dto::{
    ClassList, ClassProgress, ClassView, ListClassProgress, ListClasses, ListMembers, MemberView,
    Roster,
};
use crate::auth::Authenticated;
use crate::command::etag;
use crate::consistency::{self, Consistency, ReadPosition};
use crate::extract::{Json, Query};
use crate::openapi::QueryErrors;
use crate::progress::ProgressView;
use crate::{ApiError, AppState, paging};

/// One class.
#[utoipa::path(
    get, path = "/v1/classes/{id}", tag = "classes",
    params(("id" = uuid::Uuid, Path, description = "The class's id"), Consistency),
    responses(
        (status = OK, description = "The class", body = ClassView,
         headers(("ETag" = String, description = "The class's version, for If-Match"),
                 ("Lectern-Position" = i64, description = "How far the classes had applied the log"))),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn get(
    State(state): State<AppState>,
    user: Authenticated,
    ClassPath(id): ClassPath,
    Query(consistency): Query<Consistency>,
) -> Result<
    (
        ReadPosition,
        [(HeaderName, HeaderValue); 1],
        Json<ClassView>,
    ),
    ApiError,
> {
    let position = read_position(&state, &Classes, consistency).await?;
    let row = classes::get(&state.pool, id.as_uuid())
        .await?
        .filter(|row| may_see(&user, row.teacher_id))
        .ok_or_else(|| ApiError::NotFound(format!("there is no class {id}")))?;
    let tag = etag(row.version);
    Ok((position, [(header::ETAG, tag)], Json(row.into())))
}

/// Classes, filtered, a page at a time (ordered by id, i.e. by creation).
///
/// Teachers (their own classes), admins and analysts (every class).
#[utoipa::path(
    get, path = "/v1/classes", tag = "classes",
    params(ListClasses, Consistency),
    responses(
        (status = OK, description = "A page of classes", body = ClassList,
         headers(("Lectern-Position" = i64, description = "How far the classes had applied the log"))),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn list(
    State(state): State<AppState>,
    user: Authenticated,
    Query(query): Query<ListClasses>,
    Query(consistency): Query<Consistency>,
) -> Result<(ReadPosition, Json<ClassList>), ApiError> {
    let filter = filter_for(&user, query)?;
    let position = read_position(&state, &Classes, consistency).await?;
    let page = classes::list(&state.pool, &filter).await?;
    Ok((
        position,
        Json(ClassList {
            classes: page.classes.into_iter().map(ClassView::from).collect(),
            next_cursor: page.next,
        }),
    ))
}

/// A class's roster: the students enrolled now, a page at a time (by student id).
///
/// The class's teacher, admins and analysts.
#[utoipa::path(
    get, path = "/v1/classes/{id}/students", tag = "classes",
    params(("id" = uuid::Uuid, Path, description = "The class's id"), ListMembers, Consistency),
    responses(
        (status = OK, description = "A page of the roster", body = Roster,
         headers(("Lectern-Position" = i64, description = "How far the classes had applied the log"))),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn roster(
    State(state): State<AppState>,
    user: Authenticated,
    ClassPath(id): ClassPath,
    Query(query): Query<ListMembers>,
    Query(consistency): Query<Consistency>,
) -> Result<(ReadPosition, Json<Roster>), ApiError> {
    let filter = RosterFilter {
        after: query.cursor,
        limit: paging::limit(query.limit)?,
    };
    readable_class(&state, &user, id).await?;
    let position = read_position(&state, &Classes, consistency).await?;
    let page = classes::roster(&state.pool, id.as_uuid(), &filter).await?;
    Ok((
        position,
        Json(Roster {
            class_id: id.as_uuid(),
            students: page.members.into_iter().map(MemberView::from).collect(),
            next_cursor: page.next,
        }),
    ))
}

/// The progress made from a class: every student's, in every lesson started from it.
///
/// The class's teacher, admins and analysts.
#[utoipa::path(
    get, path = "/v1/classes/{id}/progress", tag = "classes",
    params(("id" = uuid::Uuid, Path, description = "The class's id"), ListClassProgress, Consistency),
    responses(
        (status = OK, description = "A page of progress", body = ClassProgress,
         headers(("Lectern-Position" = i64, description = "How far the progress had applied the log"))),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn progress(
    State(state): State<AppState>,
    user: Authenticated,
    ClassPath(id): ClassPath,
    Query(query): Query<ListClassProgress>,
    Query(consistency): Query<Consistency>,
) -> Result<(ReadPosition, Json<ClassProgress>), ApiError> {
    let filter = ClassProgressFilter {
        lesson_id: query.lesson_id,
        student_id: query.student_id,
        status: paging::status(query.status, "in_progress, completed")?,
        after: query.cursor,
        limit: paging::limit(query.limit)?,
    };
    readable_class(&state, &user, id).await?;
    let position = read_position(&state, &StudentProgress, consistency).await?;
    let page = student_progress::for_class(&state.pool, id.as_uuid(), &filter).await?;
    Ok((
        position,
        Json(ClassProgress {
            class_id: id.as_uuid(),
            progress: page.progress.into_iter().map(ProgressView::from).collect(),
            next_cursor: page.next,
        }),
    ))
}

async fn read_position<P: Projection>(
    state: &AppState,
    model: &P,
    consistency: Consistency,
) -> Result<ReadPosition, ApiError> {
    let wait = state.config.consistency_wait();
    consistency::read_position(&state.pool, model, consistency, wait).await
}

fn filter_for(user: &Authenticated, query: ListClasses) -> Result<ClassFilter, ApiError> {
    let teacher_id = if sees_every_class(user) {
        query.teacher_id
    } else if user.can(Permission::ManageClasses) {
        match query.teacher_id {
            Some(other) if other != user.user_id => {
                return Err(ApiError::Forbidden(
                    "a teacher lists only their own classes".into(),
                ));
            }
            _ => Some(user.user_id),
        }
    } else {
        return Err(ApiError::Forbidden(format!(
            "the role `{}` may not list classes (`{}` or `{}` is needed)",
            user.role,
            Permission::ManageClasses,
            Permission::ReadReadModels
        )));
    };
    Ok(ClassFilter {
        teacher_id,
        subject: query.subject,
        grade_level: paging::grade(query.grade)?,
        status: paging::status(query.status, "active, archived")?,
        after: query.cursor,
        limit: paging::limit(query.limit)?,
    })
}
