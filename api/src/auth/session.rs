//! The token routes: `POST /v1/auth/token` signs in with a username and password,
//! `POST /v1/auth/refresh` trades a refresh token for a new pair. Neither needs an access
//! token.
//!
//! Both read the account from its user stream (the username's reservation names the
//! stream), never from a read model: a password just changed or an account just
//! deactivated takes effect at once, and a sign-in cannot fail because a projection lags.
//!
//! A failed sign-in says nothing about why: an unknown, malformed or deactivated username
//! and a wrong or malformed password all get the same 401 `invalid credentials`, and an
//! unknown username costs the same argon2id work as a known one
//! ([`super::password::verify`]).

use axum::extract::State;
use domain::{Password, Role, User, UserDetails, UserId, Username};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{TokenPair, TokenType, password};
use crate::extract::Json;
use crate::openapi::TokenErrors;
use crate::{ApiError, AppState};

/// Credentials. No `Debug`: the password must not reach a log line.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    #[schema(example = "ada")]
    pub username: String,
    #[schema(format = Password, example = "correct horse battery")]
    pub password: String,
}

/// A refresh token from an earlier sign-in or refresh. No `Debug`: the token is a secret.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Refresh {
    pub refresh_token: String,
}

/// Sign in: a username and password for an access and a refresh token.
///
/// Every refusal is the same 401 (`invalid credentials`), whether the username is unknown,
/// the password wrong or the account deactivated.
#[utoipa::path(
    post, path = "/v1/auth/token", tag = "auth",
    request_body = SignIn,
    responses(
        (status = OK, description = "Signed in", body = TokenPair),
        TokenErrors,
    ),
)]
pub async fn sign_in(
    State(state): State<AppState>,
    Json(body): Json<SignIn>,
) -> Result<Json<TokenPair>, ApiError> {
    // No password of a wrong length was ever stored, so none can match; answering at once
    // tells nothing about the username.
    let Ok(password) = Password::parse(body.password) else {
        return Err(invalid_credentials());
    };
    let account = match Username::parse(&body.username) {
        Ok(username) => account_named(&state, &username).await?,
        Err(_) => None,
    };
    let hash = account
        .as_ref()
        .map(|account| account.password_hash.clone());
    let matches = password::verify(password, hash)
        .await
        .map_err(|error| ApiError::internal("verifying a password", error))?;
    match account {
        Some(account) if matches && account.active => issue(&state, account.id, account.role),
        _ => Err(invalid_credentials()),
    }
}

/// Refresh: a valid refresh token for a new pair, with the account's current role.
///
/// 401 when the token is not a valid refresh token, or its account no longer exists or is
/// deactivated.
#[utoipa::path(
    post, path = "/v1/auth/refresh", tag = "auth",
    request_body = Refresh,
    responses(
        (status = OK, description = "A new pair", body = TokenPair),
        TokenErrors,
    ),
)]
pub async fn refresh(
    State(state): State<AppState>,
    Json(body): Json<Refresh>,
) -> Result<Json<TokenPair>, ApiError> {
    let claims = state
        .tokens
        .verify(&body.refresh_token, TokenType::Refresh)
        .map_err(|error| refused(error.to_string()))?;
    match account(&state, claims.sub).await? {
        Some(account) if account.active => issue(&state, account.id, account.role),
        _ => Err(refused(
            "the account of this refresh token is deactivated or does not exist".into(),
        )),
    }
}

/// The account holding `username`, from the store's reservation and the user stream.
async fn account_named(
    state: &AppState,
    username: &Username,
) -> Result<Option<UserDetails>, ApiError> {
    let holder =
        eventstore::read::reservation_holder(&state.pool, User::USERNAME_SCOPE, username.as_str())
            .await?;
    let Some(stream) = holder else {
        return Ok(None);
    };
    let id = UserId::from_stream_id(&stream).map_err(|error| {
        ApiError::internal("a username is reserved by a non-user stream", error)
    })?;
    account(state, id.as_uuid()).await
}

async fn account(state: &AppState, id: Uuid) -> Result<Option<UserDetails>, ApiError> {
    let (_, user) = state.users.state(id).await?;
    Ok(user.details().cloned())
}

fn issue(state: &AppState, user: UserId, role: Role) -> Result<Json<TokenPair>, ApiError> {
    state
        .tokens
        .issue_pair(user.as_uuid(), role)
        .map(Json)
        .map_err(|error| ApiError::internal("signing tokens", error))
}

fn invalid_credentials() -> ApiError {
    ApiError::Unauthorized {
        detail: "invalid credentials".into(),
        token_presented: false,
    }
}

fn refused(detail: String) -> ApiError {
    ApiError::Unauthorized {
        detail,
        token_presented: true,
    }
}
