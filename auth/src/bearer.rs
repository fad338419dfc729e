//! The claims of a request's `Authorization: Bearer <access token>` header.

use http::{HeaderMap, header};

use crate::{Claims, TokenKeys, TokenType};

/// No valid access token: what to fix, and whether a token was presented at all (a
/// presented but refused token is `invalid_token` in `WWW-Authenticate`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct Unauthorized {
    pub detail: String,
    pub token_presented: bool,
}

/// The verified claims of the bearer access token in `headers`.
pub fn bearer_claims(headers: &HeaderMap, keys: &TokenKeys) -> Result<Claims, Unauthorized> {
    let unauthorized = |detail: String, token_presented| Unauthorized {
        detail,
        token_presented,
    };
    let Some(value) = headers.get(header::AUTHORIZATION) else {
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
