//! [`Authenticated`]: the caller of a request, from its bearer access token.

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::{header, request::Parts};
use commands::Actor;
use domain::{Permission, Role};
use uuid::Uuid;

use super::{Claims, TokenKeys, TokenType};
use crate::ApiError;

/// The user (or service account) a request acts for. Extracting it answers 401 with
/// `WWW-Authenticate: Bearer` when there is no valid access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticated {
    pub user_id: Uuid,
    pub role: Role,
    /// The access token's `jti`.
    pub token_id: Uuid,
}

impl Authenticated {
    /// The one permission check of a handler: 403 unless the caller's role has `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "the role `{}` lacks the permission `{permission}`",
                self.role
            )))
        }
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.role.can(permission)
    }

    /// Admins are exempt from the resource rules (a teacher's own classes, an author's own
    /// lessons, a requester's own content requests): they act on every resource their
    /// permissions cover. `domain::access` has permissions per role, not per resource.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Who the events of this request's commands say did it.
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.user_id,
            role: self.role.as_str().to_owned(),
        }
    }
}

impl From<&Claims> for Authenticated {
    fn from(claims: &Claims) -> Self {
        Self {
            user_id: claims.sub,
            role: claims.role,
            token_id: claims.jti,
        }
    }
}

/// The claims of the request's bearer access token; 401 (with how to fix it) when there is
/// none or it is not valid.
pub fn bearer_claims(parts: &Parts, keys: &TokenKeys) -> Result<Claims, ApiError> {
    let unauthorized = |detail: String, token_presented| ApiError::Unauthorized {
        detail,
        token_presented,
    };
    let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
        return Err(unauthorized(
            "send an access token: `Authorization: Bearer <token>`".into(),
            false,
        ));
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|token| !token.is_empty())
        .ok_or_else(|| {
            unauthorized(
                "the Authorization header must be `Bearer <token>`".into(),
                false,
            )
        })?;
    keys.verify(token, TokenType::Access)
        .map_err(|error| unauthorized(error.to_string(), true))
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
