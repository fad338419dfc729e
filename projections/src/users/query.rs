//! Queries of the accounts.

use domain::Role;
use sqlx::PgPool;
use uuid::Uuid;

use super::UserRow;

/// Filters for [`list`]; `None` means any. Pages are ordered by user id (UUIDv7, so by
/// registration), and `after` is the last id of the previous page.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub active: Option<bool>,
    /// Usernames starting with this (lowercased first, as usernames are).
    pub username_prefix: Option<String>,
    pub after: Option<Uuid>,
    /// 1–500; anything outside is clamped.
    pub limit: i64,
}

#[derive(Debug, Clone)]
pub struct UserPage {
    pub users: Vec<UserRow>,
    /// The cursor of the next page, when there may be one.
    pub next: Option<Uuid>,
}

pub async fn get(pool: &PgPool, user_id: Uuid) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as!(
        UserRow,
        "SELECT user_id, username, email, display_name, role, active, parent_ids, version,
                created_at, updated_at
           FROM read.users WHERE user_id = $1",
        user_id
    )
    .fetch_optional(pool)
    .await
}

/// The account with this username (exact; usernames are lowercase).
pub async fn by_username(pool: &PgPool, username: &str) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as!(
        UserRow,
        "SELECT user_id, username, email, display_name, role, active, parent_ids, version,
                created_at, updated_at
           FROM read.users WHERE username = $1",
        username
    )
    .fetch_optional(pool)
    .await
}

/// The account with this email (compared lowercased, as emails are stored).
pub async fn by_email(pool: &PgPool, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as!(
        UserRow,
        "SELECT user_id, username, email, display_name, role, active, parent_ids, version,
                created_at, updated_at
           FROM read.users WHERE email = $1",
        email.trim().to_lowercase()
    )
    .fetch_optional(pool)
    .await
}

pub async fn list(pool: &PgPool, filter: &UserFilter) -> Result<UserPage, sqlx::Error> {
    let limit = filter.limit.clamp(1, 500);
    let prefix = filter.username_prefix.as_ref().map(|p| p.to_lowercase());
    let users: Vec<UserRow> = sqlx::query_as!(
        UserRow,
        "SELECT user_id, username, email, display_name, role, active, parent_ids, version,
                created_at, updated_at
           FROM read.users
          WHERE ($1::text IS NULL OR role = $1)
            AND ($2::bool IS NULL OR active = $2)
            AND ($3::text IS NULL OR starts_with(username, $3))
            AND ($4::uuid IS NULL OR user_id > $4)
          ORDER BY user_id
          LIMIT $5",
        filter.role.map(Role::as_str),
        filter.active,
        prefix,
        filter.after,
        limit
    )
    .fetch_all(pool)
    .await?;
    let next = (users.len() as i64 == limit)
        .then(|| users.last().map(|u| u.user_id))
        .flatten();
    Ok(UserPage { users, next })
}

/// The accounts that have `parent_id` among their linked parents, by user id, whatever
/// their current role or state (rows carry both, for the caller's rules).
pub async fn children_of(pool: &PgPool, parent_id: Uuid) -> Result<Vec<UserRow>, sqlx::Error> {
    sqlx::query_as!(
        UserRow,
        "SELECT user_id, username, email, display_name, role, active, parent_ids, version,
                created_at, updated_at
           FROM read.users WHERE parent_ids @> ARRAY[$1::uuid] ORDER BY user_id",
        parent_id
    )
    .fetch_all(pool)
    .await
}
