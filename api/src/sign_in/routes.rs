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
//! ([`crate::auth::password::verify`]).
//!
//! Every sign-in, failed sign-in and refused refresh is recorded in the log, with why, for
//! auditors ([`super::record`]); a failed sign-in is recorded whether or not the account
//! exists, so the answer is the same either way. A successful refresh is not recorded: it
//! changes nothing an auditor looks for, and the sign-in it continues is.

use axum::extract::State;
use domain::{
    Password, RefreshRefusal, Role, SignInCommand, SignInFailure, SignInRecord, User, UserDetails,
    UserId, Username,
};
use std::collections::BTreeMap;

use serde::Deserialize;
use utoipa::openapi::{RefOr, Response};
use utoipa::{IntoResponses, ToSchema};
use uuid::Uuid;

use super::record::{Attempt, own_stream, record};
use crate::auth::{TokenError, TokenPair, TokenType, password};
use crate::extract::Json;
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
/// the password wrong or the account deactivated. Every attempt is recorded in the log
/// (`SignedIn`, `SignInFailed` with the reason; never the password), with the request's
/// `X-Request-Id` as its correlation id.
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
    attempt: Attempt,
    Json(body): Json<SignIn>,
) -> Result<Json<TokenPair>, ApiError> {
    let (user, role) = check_credentials(&state, &attempt, &body.username, body.password).await?;
    issue(&state, user, role)
}

/// The sign-in itself, for every front end (the token route, the web app's form): the
/// account whose username and password these are, when it is active, with its `SignedIn`
/// recorded; otherwise `invalid credentials`, with the `SignInFailed` recorded.
pub async fn check_credentials(
    state: &AppState,
    attempt: &Attempt,
    username: &str,
    password: String,
) -> Result<(UserId, Role), ApiError> {
    let username = Username::parse(username).ok();
    let account = match &username {
        Some(username) => account_named(state, username).await?,
        None => None,
    };
    let matches = match Password::parse(password) {
        Ok(password) => {
            let hash = account
                .as_ref()
                .map(|account| account.password_hash.clone());
            password::verify(password, hash)
                .await
                .map_err(|error| ApiError::internal("verifying a password", error))?
        }
        // No password of a wrong length was ever stored, so none can match; skipping the
        // hash tells nothing about the username.
        Err(_) => false,
    };
    let (stream, failure) = match (account, username) {
        (Some(account), _) if matches && account.active => {
            let actor = commands::Actor {
                id: account.id.as_uuid(),
                role: account.role.as_str().to_owned(),
            };
            let signed_in = SignInCommand::RecordSignIn {
                user_id: account.id,
            };
            record(
                attempt,
                state,
                SignInRecord::stream_of_account(account.id),
                Some(actor),
                signed_in,
            )
            .await?;
            return Ok((account.id, account.role));
        }
        (Some(account), username) => {
            let reason = if matches {
                SignInFailure::Deactivated
            } else {
                SignInFailure::WrongPassword
            };
            let failure = SignInCommand::RecordFailedSignIn {
                username,
                user_id: Some(account.id),
                reason,
            };
            (SignInRecord::stream_of_account(account.id), failure)
        }
        (None, username) => {
            let stream = username
                .as_ref()
                .map_or_else(own_stream, SignInRecord::stream_of_unknown_username);
            let failure = SignInCommand::RecordFailedSignIn {
                username,
                user_id: None,
                reason: SignInFailure::UnknownUser,
            };
            (stream, failure)
        }
    };
    record(attempt, state, stream, None, failure).await?;
    Err(invalid_credentials())
}

/// Refresh: a valid refresh token for a new pair, with the account's current role.
///
/// 401 when the token is not a valid refresh token, or its account no longer exists or is
/// deactivated; each refusal is recorded in the log (`TokenRefreshRefused` with the
/// reason and, when Lectern signed the token, its account; never the token).
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
    attempt: Attempt,
    Json(body): Json<Refresh>,
) -> Result<Json<TokenPair>, ApiError> {
    let claims = match state.tokens.verify(&body.refresh_token, TokenType::Refresh) {
        Ok(claims) => claims,
        Err(error) => {
            let reason = match error {
                TokenError::Expired => RefreshRefusal::Expired,
                TokenError::WrongType { .. } => RefreshRefusal::NotARefreshToken,
                _ => RefreshRefusal::InvalidToken,
            };
            let user_id = state
                .tokens
                .signed_subject(&body.refresh_token)
                .map(UserId::new);
            refuse_refresh(&state, &attempt, user_id, reason).await?;
            return Err(refused(error.to_string()));
        }
    };
    let reason = match account(&state, claims.sub).await? {
        Some(account) if account.active => return issue(&state, account.id, account.role),
        Some(_) => RefreshRefusal::Deactivated,
        None => RefreshRefusal::UnknownUser,
    };
    refuse_refresh(&state, &attempt, Some(UserId::new(claims.sub)), reason).await?;
    Err(refused(
        "the account of this refresh token is deactivated or does not exist".into(),
    ))
}

/// Record a refused refresh on its account's sign-in stream, or on one of its own.
async fn refuse_refresh(
    state: &AppState,
    attempt: &Attempt,
    user_id: Option<UserId>,
    reason: RefreshRefusal,
) -> Result<(), ApiError> {
    let stream = user_id.map_or_else(own_stream, SignInRecord::stream_of_account);
    let refusal = SignInCommand::RecordRefusedRefresh { user_id, reason };
    record(attempt, state, stream, None, refusal).await
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

/// The problem responses of the token routes.
pub struct TokenErrors;

impl IntoResponses for TokenErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        crate::problem::responses(&[
            (
                400,
                "Malformed JSON, or a field missing, unknown or of the wrong type (`field` names it)",
            ),
            (
                401,
                "Invalid credentials, or not a valid refresh token of an active account",
            ),
            (415, "The body is not JSON"),
            (503, "A dependency is down; see Retry-After"),
        ])
    }
}
