//! The user commands: parse → permission → command → response. The rules of an account's
//! life are `domain::User`'s; the one rule here is about another account, the parent a
//! student is linked to ([`NotAParent`]), which the student's aggregate cannot see.

use axum::extract::State;
use domain::{Permission, Rejection, Role, User, UserCommand, UserId};
use uuid::Uuid;

use super::UserPath;
use super::dto::{ChangePassword, ChangeRole, LinkParent, RegisterUser};
use crate::command::{CommandAccepted, CommandRequest, CommandResponse};
use crate::extract::Json;
use crate::openapi::{CommandErrors, CommandHeaders};
use crate::{ApiError, AppState};

/// Register an account.
///
/// Admins. A taken username or email is 409 `already-taken` with `field` naming which.
#[utoipa::path(
    post, path = "/v1/users", tag = "users",
    request_body = RegisterUser,
    params(CommandHeaders),
    responses(
        (status = CREATED, description = "Registered", body = CommandAccepted,
         headers(("ETag" = String, description = "The account's version, e.g. \"1\""),
                 ("Location" = String, description = "The account, /v1/users/{id}"))),
        CommandErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn register(
    State(state): State<AppState>,
    request: CommandRequest,
    Json(body): Json<RegisterUser>,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::ManageUsers)?;
    let user_id = body.user_id.unwrap_or_else(|| UserId::new(Uuid::now_v7()));
    let command = body.into_command(user_id).await?;
    let outcome = request
        .run_reserving(
            &state.users,
            &state.pool,
            user_id.as_uuid(),
            &command,
            super::reservations,
        )
        .await?;
    // From the outcome, not the request: a replay answers with the first request's account.
    let registered = UserId::from_stream_id(&outcome.stream_id)?;
    Ok(CommandResponse::created(
        outcome,
        format!("/v1/users/{registered}"),
    ))
}

/// Change an account's role.
///
/// Admins. The new role counts from the account's next sign-in or refresh.
#[utoipa::path(
    post, path = "/v1/users/{id}/role", tag = "users",
    request_body = ChangeRole,
    params(("id" = Uuid, Path, description = "The account's id"), CommandHeaders),
    responses((status = OK, description = "Changed", body = CommandAccepted), CommandErrors),
    security(("bearer" = [])),
)]
pub async fn change_role(
    State(state): State<AppState>,
    UserPath(id): UserPath,
    request: CommandRequest,
    Json(body): Json<ChangeRole>,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::ManageUsers)?;
    let command = UserCommand::ChangeRole { role: body.role };
    run(&state, &request, id, &command).await
}

/// Deactivate an account.
///
/// Admins. It can no longer sign in or refresh its tokens; access tokens already issued
/// run out within their lifetime.
#[utoipa::path(
    post, path = "/v1/users/{id}/deactivate", tag = "users",
    params(("id" = Uuid, Path, description = "The account's id"), CommandHeaders),
    responses((status = OK, description = "Deactivated", body = CommandAccepted), CommandErrors),
    security(("bearer" = [])),
)]
pub async fn deactivate(
    State(state): State<AppState>,
    UserPath(id): UserPath,
    request: CommandRequest,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::ManageUsers)?;
    run(&state, &request, id, &UserCommand::Deactivate).await
}

/// Reactivate a deactivated account.
///
/// Admins.
#[utoipa::path(
    post, path = "/v1/users/{id}/reactivate", tag = "users",
    params(("id" = Uuid, Path, description = "The account's id"), CommandHeaders),
    responses((status = OK, description = "Reactivated", body = CommandAccepted), CommandErrors),
    security(("bearer" = [])),
)]
pub async fn reactivate(
    State(state): State<AppState>,
    UserPath(id): UserPath,
    request: CommandRequest,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::ManageUsers)?;
    run(&state, &request, id, &UserCommand::Reactivate).await
}

/// Set a new password.
///
/// The account itself (`update:own_profile`) or an admin.
#[utoipa::path(
    post, path = "/v1/users/{id}/password", tag = "users",
    request_body = ChangePassword,
    params(("id" = Uuid, Path, description = "The account's id"), CommandHeaders),
    responses((status = OK, description = "Changed", body = CommandAccepted), CommandErrors),
    security(("bearer" = [])),
)]
pub async fn change_password(
    State(state): State<AppState>,
    UserPath(id): UserPath,
    request: CommandRequest,
    Json(body): Json<ChangePassword>,
) -> Result<CommandResponse, ApiError> {
    if id.as_uuid() == request.user.user_id {
        request.require(Permission::UpdateOwnProfile)?;
    } else {
        request.require(Permission::ManageUsers)?;
    }
    let command = body.into_command().await?;
    run(&state, &request, id, &command).await
}

/// Link a parent to a student.
///
/// Admins. The account `{id}` must be an active student (else 422 `not-a-student` or
/// `user-deactivated`) and `parent_id` an active parent (else 422 `not-a-parent`).
#[utoipa::path(
    post, path = "/v1/users/{id}/parents", tag = "users",
    request_body = LinkParent,
    params(("id" = Uuid, Path, description = "The student's id"), CommandHeaders),
    responses((status = OK, description = "Linked", body = CommandAccepted), CommandErrors),
    security(("bearer" = [])),
)]
pub async fn link_parent(
    State(state): State<AppState>,
    UserPath(id): UserPath,
    request: CommandRequest,
    Json(body): Json<LinkParent>,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::ManageUsers)?;
    let parent_id = body.parent_id;
    // Read from the parent's stream, not a read model. Another aggregate's state: a parent
    // deactivated in the same instant may still be linked, as with any check across two
    // aggregates; the link then stands and can be seen on both accounts.
    let (_, parent) = state.users.state(parent_id.as_uuid()).await?;
    NotAParent::check(parent_id, &parent)?;
    run(&state, &request, id, &UserCommand::LinkParent { parent_id }).await
}

async fn run(
    state: &AppState,
    request: &CommandRequest,
    id: UserId,
    command: &UserCommand,
) -> Result<CommandResponse, ApiError> {
    let outcome = request
        .run(&state.users, &state.pool, id.as_uuid(), command)
        .await?;
    Ok(CommandResponse::ok(outcome))
}

/// `not-a-parent` (422): the account to link as a parent is not an active parent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotAParent {
    #[error("there is no user {0} to link as a parent")]
    Unknown(UserId),
    #[error("user {0} is deactivated and cannot be linked as a parent")]
    Deactivated(UserId),
    #[error("user {id} is a {role}, not a parent")]
    OtherRole { id: UserId, role: Role },
}

impl NotAParent {
    /// Ok when `parent` (the state of account `id`) is an active parent.
    pub fn check(id: UserId, parent: &User) -> Result<(), ApiError> {
        let refusal = match parent.details() {
            None => Self::Unknown(id),
            Some(details) if !details.active => Self::Deactivated(id),
            Some(details) if details.role != Role::Parent => Self::OtherRole {
                id,
                role: details.role,
            },
            Some(_) => return Ok(()),
        };
        Err(commands::CommandError::Rejected(Box::new(refusal)).into())
    }
}

impl Rejection for NotAParent {
    fn rule(&self) -> &'static str {
        "not-a-parent"
    }
}
