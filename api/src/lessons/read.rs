//! The lesson queries, on the catalog read model (`read.lessons`).
//!
//! Who sees what: every authenticated caller sees published lessons; roles that review
//! content or query read models (admins, analysts) see every lesson; an author also sees
//! their own lessons by id. A lesson the caller may not see is "not found".

use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, header};
use domain::{LessonStatus, Permission};
use projections::lessons::{self, LessonFilter, LessonRow, Lessons};

use super::LessonPath;
use super::dto::{LessonList, LessonView, ListLessons};
use uuid::Uuid;

use crate::auth::Authenticated;
use crate::command::etag;
use crate::consistency::{self, Consistency, ReadPosition};
use crate::extract::{Json, Query};
use crate::openapi::QueryErrors;
use crate::{ApiError, AppState};

const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 500;

/// One lesson.
#[utoipa::path(
    get, path = "/v1/lessons/{id}", tag = "lessons",
    params(("id" = uuid::Uuid, Path, description = "The lesson's id"), Consistency),
    responses(
        (status = OK, description = "The lesson", body = LessonView,
         headers(("ETag" = String, description = "The lesson's version, for If-Match"),
                 ("Lectern-Position" = i64, description = "How far the catalog had applied the log"))),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn get(
    State(state): State<AppState>,
    user: Authenticated,
    LessonPath(id): LessonPath,
    Query(consistency): Query<Consistency>,
) -> Result<
    (
        ReadPosition,
        [(HeaderName, HeaderValue); 1],
        Json<LessonRow>,
    ),
    ApiError,
> {
    let position = read_position(&state, consistency).await?;
    let row = lessons::get(&state.pool, id.as_uuid())
        .await?
        .filter(|row| may_see(&user, row))
        .ok_or_else(|| ApiError::NotFound(format!("there is no lesson {id}")))?;
    let tag = etag(row.version);
    Ok((position, [(header::ETAG, tag)], Json(row)))
}

/// Lessons, filtered, a page at a time (ordered by id, i.e. by creation).
#[utoipa::path(
    get, path = "/v1/lessons", tag = "lessons",
    params(ListLessons, Consistency),
    responses(
        (status = OK, description = "A page of lessons", body = LessonList,
         headers(("Lectern-Position" = i64, description = "How far the catalog had applied the log"))),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn list(
    State(state): State<AppState>,
    user: Authenticated,
    Query(query): Query<ListLessons>,
    Query(consistency): Query<Consistency>,
) -> Result<(ReadPosition, Json<LessonList>), ApiError> {
    let filter = filter_for(&user, query)?;
    let position = read_position(&state, consistency).await?;
    let page = lessons::list(&state.pool, &filter).await?;
    Ok((
        position,
        Json(LessonList {
            lessons: page.lessons,
            next_cursor: page.next,
        }),
    ))
}

async fn read_position(
    state: &AppState,
    consistency: Consistency,
) -> Result<ReadPosition, ApiError> {
    let wait = state.config.consistency_wait();
    consistency::read_position(&state.pool, &Lessons, consistency, wait).await
}

fn sees_every_lesson(user: &Authenticated) -> bool {
    user.can(Permission::ReviewContent) || user.can(Permission::ReadReadModels)
}

pub fn may_see(user: &Authenticated, row: &LessonRow) -> bool {
    may_see_lesson(user, row.author_id, row.status == LessonStatus::Published)
}

/// The rule of who sees a lesson: anyone once it is published; its author; the roles that
/// see every lesson. (Also the live feeds' rule for a lesson's stream, whose drafts count
/// as unpublished.)
pub(crate) fn may_see_lesson(user: &Authenticated, author: Uuid, published: bool) -> bool {
    published || sees_every_lesson(user) || author == user.user_id
}

pub fn filter_for(user: &Authenticated, query: ListLessons) -> Result<LessonFilter, ApiError> {
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid_field(
            "limit",
            format!("limit must be 1–{MAX_LIMIT} (got {limit})"),
        ));
    }
    if let Some(grade) = query.grade
        && !(1..=12).contains(&grade)
    {
        return Err(ApiError::invalid_field(
            "grade",
            format!("grade must be 1–12 (got {grade})"),
        ));
    }
    let mine = query.mine.unwrap_or(false);
    let status = match query.status {
        Some(LessonStatus::NotDrafted) => {
            return Err(ApiError::invalid_field(
                "status",
                "status must be draft, in_review, approved, published or archived",
            ));
        }
        Some(status) if status != LessonStatus::Published && !sees_every_lesson(user) && !mine => {
            return Err(ApiError::Forbidden(format!(
                "the role `{}` may list only published lessons",
                user.role
            )));
        }
        Some(status) => Some(status),
        None if sees_every_lesson(user) || mine => None,
        None => Some(LessonStatus::Published),
    };
    Ok(LessonFilter {
        subject: query.subject,
        grade_level: query.grade,
        status,
        title_contains: query.q.filter(|q| !q.is_empty()),
        author_id: mine.then_some(user.user_id),
        after: query.cursor,
        limit,
    })
}
