//! Sessions: the sign-in form opens one (a row in `web.sessions`, its token in an
//! `HttpOnly`, `SameSite=Lax` cookie, `Secure` behind TLS), every page extracts it
//! ([`Session`]), and sign-out deletes it. Every request checks the account on its stream:
//! a deactivated account's sessions end at its next click, and a changed role applies at
//! once. Every POST carries the session's CSRF token ([`Posted`]).

pub mod csrf;
pub mod store;

use auth::Caller;
use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use domain::{Role, UserDetails};
use uuid::Uuid;

pub use csrf::Posted;

use crate::error::WebError;
use api::AppState;

/// The session cookie's name.
pub const COOKIE: &str = "lectern_session";

/// The signed-in user of a page.
#[derive(Debug, Clone)]
pub struct Session {
    pub caller: Caller,
    pub username: String,
    pub display_name: String,
    /// Sent back with every POST.
    pub csrf_token: String,
}

impl Session {
    pub fn role(&self) -> Role {
        self.caller.role
    }

    /// The caller as the API's handlers take it, for the rules they share with pages.
    pub fn authenticated(&self) -> api::auth::Authenticated {
        api::auth::Authenticated(self.caller.clone())
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let next = OriginalUri::from_request_parts(parts, state)
            .await
            .map(|uri| uri.0.to_string())
            .unwrap_or_else(|_| "/".into());
        let sign_in = || WebError::SignIn { next: next.clone() };
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(token) = jar.get(COOKIE).map(|c| c.value().to_owned()) else {
            return Err(sign_in());
        };
        let Some(stored) = store::find(&state.pool, &token).await? else {
            return Err(sign_in());
        };
        match active_account(state, stored.user_id).await? {
            Some(account) => Ok(Self {
                caller: Caller {
                    user_id: stored.user_id,
                    role: account.role,
                    token_id: stored.session_id,
                },
                username: account.username.as_str().to_owned(),
                display_name: account.display_name.as_str().to_owned(),
                csrf_token: stored.csrf_token,
            }),
            None => {
                store::close_all_of(&state.pool, stored.user_id).await?;
                Err(sign_in())
            }
        }
    }
}

/// The account of `user_id` from its stream, when it exists and is active.
pub async fn active_account(
    state: &AppState,
    user_id: Uuid,
) -> Result<Option<UserDetails>, WebError> {
    let (_, user) = state
        .users
        .state(user_id)
        .await
        .map_err(api::ApiError::from)?;
    Ok(user.details().filter(|details| details.active).cloned())
}
