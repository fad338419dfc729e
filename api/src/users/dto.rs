//! The user routes' request and response bodies. Requests deserialize straight into
//! domain value types and refuse unknown fields; responses are rows of `read.users`, which
//! hold no password hash.

use chrono::{DateTime, Utc};
use domain::{DisplayName, Email, Password, Role, UserCommand, UserId, Username};
use projections::users::UserRow;
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::ApiError;
use crate::auth::password;

/// A new account. (`Debug` is safe: a [`Password`] prints as `***`.)
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterUser {
    /// The account's id, when the client chooses it (a UUID); a fresh UUIDv7 otherwise.
    #[schema(value_type = Option<Uuid>)]
    pub user_id: Option<UserId>,
    /// 3–50 characters of `a-z`, `0-9`, `_`, `.`, `-`; unique.
    #[schema(value_type = String, min_length = 3, max_length = 50,
             pattern = "^[a-z0-9_.-]{3,50}$", example = "ada")]
    pub username: Username,
    /// An address like `name@example.org`, stored lowercased; unique.
    #[schema(value_type = String, format = Email, max_length = 254, example = "ada@example.org")]
    pub email: Email,
    /// 1–100 characters, trimmed.
    #[schema(value_type = String, min_length = 1, max_length = 100, example = "Ada Lovelace")]
    pub display_name: DisplayName,
    /// 12–1024 characters, kept exactly; stored only as an argon2id hash.
    #[schema(value_type = String, format = Password, min_length = 12, max_length = 1024)]
    pub password: Password,
    #[schema(schema_with = role_schema)]
    pub role: Role,
}

impl RegisterUser {
    /// The registration command, with the password hashed (argon2id, on the blocking pool).
    pub async fn into_command(self, user_id: UserId) -> Result<UserCommand, ApiError> {
        Ok(UserCommand::Register {
            user_id,
            username: self.username,
            email: self.email,
            display_name: self.display_name,
            password_hash: hash(self.password).await?,
            role: self.role,
        })
    }
}

/// The account's new role.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeRole {
    #[schema(schema_with = role_schema)]
    pub role: Role,
}

/// The account's new password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    /// 12–1024 characters, kept exactly.
    #[schema(value_type = String, format = Password, min_length = 12, max_length = 1024)]
    pub password: Password,
}

impl ChangePassword {
    pub async fn into_command(self) -> Result<UserCommand, ApiError> {
        Ok(UserCommand::ChangePassword {
            password_hash: hash(self.password).await?,
        })
    }
}

/// The parent to link to a student.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkParent {
    /// An active account with the role `parent`.
    #[schema(value_type = Uuid)]
    pub parent_id: UserId,
}

async fn hash(password: Password) -> Result<domain::PasswordHash, ApiError> {
    password::hash(password)
        .await
        .map_err(|error| ApiError::internal("hashing a password", error))
}

/// A role, as its snake_case name.
fn role_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(Role::ALL.iter().map(|role| role.as_str())))
        .examples([Role::Teacher.as_str()])
        .build()
}

/// An account. There is no password hash here, nor anywhere in the read model.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserView {
    pub user_id: Uuid,
    pub username: String,
    pub email: String,
    pub display_name: String,
    #[schema(schema_with = role_schema)]
    pub role: String,
    /// False while deactivated.
    pub active: bool,
    /// A student's linked parents, in the order they were linked.
    pub parent_ids: Vec<Uuid>,
    /// The user stream's version this view reflects (also its `ETag`).
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<UserRow> for UserView {
    fn from(row: UserRow) -> Self {
        Self {
            user_id: row.user_id,
            username: row.username,
            email: row.email,
            display_name: row.display_name,
            role: row.role,
            active: row.active,
            parent_ids: row.parent_ids,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// One page of accounts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserList {
    pub users: Vec<UserView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<Uuid>,
}

/// The filters of `GET /v1/users`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListUsers {
    /// Exactly this role.
    #[param(value_type = Option<String>, example = "student")]
    pub role: Option<Role>,
    /// Only active (`true`) or only deactivated (`false`) accounts.
    pub active: Option<bool>,
    /// Usernames starting with this.
    pub username_prefix: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
    /// Accounts per page, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}
