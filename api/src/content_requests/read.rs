//! The content request queries, on `read.content_requests`.
//!
//! Who sees what: analysts and admins (`read:read_models`) every request; a teacher
//! (`request:content`) the requests they made. A request the caller may not see is "not
//! found" (404), as for lessons; listing without either permission is refused (403).

use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, header};
use domain::Permission;
use projections::content_requests::{
    self, ContentRequestFilter, ContentRequestRow, ContentRequests,
};
use uuid::Uuid;

use super::ContentRequestPath;
use super::dto::{ContentRequestList, ContentRequestView, ListContentRequests};
use crate::auth::Authenticated;
use crate::command::etag;
use crate::consistency::{self, Consistency, ReadPosition};
use crate::extract::{Json, Query};
use crate::openapi::QueryErrors;
use crate::{ApiError, AppState, paging};

/// One content request.
#[utoipa::path(
    get, path = "/v1/content-requests/{id}", tag = "content-requests",
    params(("id" = Uuid, Path, description = "The content request's id"), Consistency),
    responses(
        (status = OK, description = "The content request", body = ContentRequestView,
         headers(("ETag" = String, description = "The request's version, for If-Match"),
                 ("Lectern-Position" = i64, description = "How far the content requests had applied the log"))),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn get(
    State(state): State<AppState>,
    user: Authenticated,
    ContentRequestPath(id): ContentRequestPath,
    Query(consistency): Query<Consistency>,
) -> Result<
    (
        ReadPosition,
        [(HeaderName, HeaderValue); 1],
        Json<ContentRequestRow>,
    ),
    ApiError,
> {
    let position = read_position(&state, consistency).await?;
    let row = content_requests::get(&state.pool, id.as_uuid())
        .await?
        .filter(|row| may_see(&user, row.requested_by))
        .ok_or_else(|| ApiError::NotFound(format!("there is no content request {id}")))?;
    let tag = etag(row.version);
    Ok((position, [(header::ETAG, tag)], Json(row)))
}

/// Content requests, filtered, a page at a time (ordered by id, i.e. by creation).
///
/// Teachers (their own requests), admins and analysts (every request).
#[utoipa::path(
    get, path = "/v1/content-requests", tag = "content-requests",
    params(ListContentRequests, Consistency),
    responses(
        (status = OK, description = "A page of content requests", body = ContentRequestList,
         headers(("Lectern-Position" = i64, description = "How far the content requests had applied the log"))),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn list(
    State(state): State<AppState>,
    user: Authenticated,
    Query(query): Query<ListContentRequests>,
    Query(consistency): Query<Consistency>,
) -> Result<(ReadPosition, Json<ContentRequestList>), ApiError> {
    let filter = filter_for(&user, query)?;
    let position = read_position(&state, consistency).await?;
    let page = content_requests::list(&state.pool, &filter).await?;
    Ok((
        position,
        Json(ContentRequestList {
            content_requests: page.requests,
            next_cursor: page.next,
        }),
    ))
}

async fn read_position(
    state: &AppState,
    consistency: Consistency,
) -> Result<ReadPosition, ApiError> {
    let wait = state.config.consistency_wait();
    consistency::read_position(&state.pool, &ContentRequests, consistency, wait).await
}

fn sees_every_request(user: &Authenticated) -> bool {
    user.can(Permission::ReadReadModels)
}

pub fn may_see(user: &Authenticated, requested_by: Uuid) -> bool {
    sees_every_request(user)
        || (user.can(Permission::RequestContent) && requested_by == user.user_id)
}

pub fn filter_for(
    user: &Authenticated,
    query: ListContentRequests,
) -> Result<ContentRequestFilter, ApiError> {
    let requested_by = if sees_every_request(user) {
        query.requested_by
    } else if user.can(Permission::RequestContent) {
        match query.requested_by {
            Some(other) if other != user.user_id => {
                return Err(ApiError::Forbidden(
                    "a teacher lists only the content requests they made".into(),
                ));
            }
            _ => Some(user.user_id),
        }
    } else {
        return Err(ApiError::Forbidden(format!(
            "the role `{}` may not list content requests (`{}` or `{}` is needed)",
            user.role,
            Permission::RequestContent,
            Permission::ReadReadModels
        )));
    };
    Ok(ContentRequestFilter {
        status: paging::status(
            query.status,
            "requested, in_progress, generated, failed, cancelled",
        )?,
        lesson_id: query.lesson_id,
        requested_by,
        after: query.cursor,
        limit: paging::limit(query.limit)?,
    })
}
