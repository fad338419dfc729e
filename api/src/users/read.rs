//! The user queries, on the accounts read model (`read.users`).
//!
//! Who sees what: admins (`manage:users`) and analysts (`read:read_models`) see and list
//! every account; anyone else sees only their own account and, a parent, their linked
//! children's. An account the caller may not see is "not found" (404), as for lessons, so
//! ids do not tell which accounts exist; listing is refused outright (403).

use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, header};
use domain::Permission;
use projections::users::{self, UserFilter, UserRow, Users};
use uuid::Uuid;

use super::UserPath;
use super::dto::{ListUsers, UserList, UserView};
use crate::auth::Authenticated;
use crate::command::etag;
use crate::consistency::{self, Consistency, ReadPosition};
use crate::extract::{Json, Query};
use crate::openapi::QueryErrors;
use crate::{ApiError, AppState};

const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 500;

type OneUser = (ReadPosition, [(HeaderName, HeaderValue); 1], Json<UserView>);

/// One account.
#[utoipa::path(
    get, path = "/v1/users/{id}", tag = "users",
    params(("id" = Uuid, Path, description = "The account's id"), Consistency),
    responses(
        (status = OK, description = "The account", body = UserView,
         headers(("ETag" = String, description = "The account's version, for If-Match"),
                 ("Lectern-Position" = i64, description = "How far the accounts had applied the log"))),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn get(
    State(state): State<AppState>,
    user: Authenticated,
    UserPath(id): UserPath,
    Query(consistency): Query<Consistency>,
) -> Result<OneUser, ApiError> {
    one(&state, &user, id.as_uuid(), consistency).await
}

/// The caller's own account.
#[utoipa::path(
    get, path = "/v1/users/me", tag = "users",
    params(Consistency),
    responses(
        (status = OK, description = "The caller's account", body = UserView,
         headers(("ETag" = String, description = "The account's version, for If-Match"),
                 ("Lectern-Position" = i64, description = "How far the accounts had applied the log"))),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn me(
    State(state): State<AppState>,
    user: Authenticated,
    Query(consistency): Query<Consistency>,
) -> Result<OneUser, ApiError> {
    one(&state, &user, user.user_id, consistency).await
}

/// Accounts, filtered, a page at a time (ordered by id, i.e. by registration).
///
/// Admins and analysts.
#[utoipa::path(
    get, path = "/v1/users", tag = "users",
    params(ListUsers, Consistency),
    responses(
        (status = OK, description = "A page of accounts", body = UserList,
         headers(("Lectern-Position" = i64, description = "How far the accounts had applied the log"))),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn list(
    State(state): State<AppState>,
    user: Authenticated,
    Query(query): Query<ListUsers>,
    Query(consistency): Query<Consistency>,
) -> Result<(ReadPosition, Json<UserList>), ApiError> {
    if !sees_every_user(&user) {
        return Err(ApiError::Forbidden(format!(
            "the role `{}` may not list accounts (`{}` or `{}` is needed)",
            user.role,
            Permission::ManageUsers,
            Permission::ReadReadModels
        )));
    }
    let filter = filter_for(query)?;
    let position = read_position(&state, consistency).await?;
    let page = users::list(&state.pool, &filter).await?;
    Ok((
        position,
        Json(UserList {
            users: page.users.into_iter().map(UserView::from).collect(),
            next_cursor: page.next,
        }),
    ))
}

async fn one(
    state: &AppState,
    user: &Authenticated,
    id: Uuid,
    consistency: Consistency,
) -> Result<OneUser, ApiError> {
    let position = read_position(state, consistency).await?;
    let row = users::get(&state.pool, id)
        .await?
        .filter(|row| may_see(user, row))
        .ok_or_else(|| ApiError::NotFound(format!("there is no user {id}")))?;
    let tag = etag(row.version);
    Ok((position, [(header::ETAG, tag)], Json(row.into())))
}

async fn read_position(
    state: &AppState,
    consistency: Consistency,
) -> Result<ReadPosition, ApiError> {
    let wait = state.config.consistency_wait();
    consistency::read_position(&state.pool, &Users, consistency, wait).await
}

fn sees_every_user(user: &Authenticated) -> bool {
    user.can(Permission::ManageUsers) || user.can(Permission::ReadReadModels)
}

fn may_see(user: &Authenticated, row: &UserRow) -> bool {
    may_see_user(user, row.user_id, &row.parent_ids)
}

/// The rule of who sees an account: its holder, its parents, the roles that see every
/// account.
pub(crate) fn may_see_user(user: &Authenticated, account: Uuid, parents: &[Uuid]) -> bool {
    sees_every_user(user) || account == user.user_id || parents.contains(&user.user_id)
}

fn filter_for(query: ListUsers) -> Result<UserFilter, ApiError> {
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid_field(
            "limit",
            format!("limit must be 1–{MAX_LIMIT} (got {limit})"),
        ));
    }
    Ok(UserFilter {
        role: query.role,
        active: query.active,
        username_prefix: query.username_prefix.filter(|prefix| !prefix.is_empty()),
        after: query.cursor,
        limit,
    })
}
