//! [`Authenticated`]: the caller of a request, from its bearer access token.

use std::ops::Deref;
use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use domain::Permission;

use super::{Caller, Claims, TokenKeys};
use crate::ApiError;

/// The user (or service account) a request acts for. Extracting it answers 401 with
/// `WWW-Authenticate: Bearer` when there is no valid access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticated(pub Caller);

impl Authenticated {
    /// The one permission check of a handler: 403 unless the caller's role has `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        Ok(self.0.require(permission)?)
    }
}

impl Deref for Authenticated {
    type Target = Caller;

    fn deref(&self) -> &Caller {
        &self.0
    }
}

impl From<&Claims> for Authenticated {
    fn from(claims: &Claims) -> Self {
        Self(Caller::from(claims))
    }
}

/// The claims of the request's bearer access token; 401 (with how to fix it) when there is
/// none or it is not valid.
pub fn bearer_claims(parts: &Parts, keys: &TokenKeys) -> Result<Claims, ApiError> {
    Ok(::auth::bearer_claims(&parts.headers, keys)?)
}

impl<S> FromRequestParts<S> for Authenticated
where
    Arc<TokenKeys>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let keys = Arc::<TokenKeys>::from_ref(state);
        bearer_claims(parts, &keys).map(|claims| Self::from(&claims))
    }
}
