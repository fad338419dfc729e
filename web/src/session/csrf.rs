//! [`Posted`]: a form POST from a signed-in page, with its CSRF token checked.
//!
//! Every form carries the session's token in a hidden `_csrf` field (htmx requests may send
//! it as `X-CSRF-Token` instead). A POST without it, or with another session's, is refused
//! with 403 before its handler runs: the `SameSite=Lax` cookie already keeps other sites'
//! POSTs unsigned-in, and the token covers the browsers and paths where it would not.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::Session;
use crate::error::WebError;
use api::AppState;

/// The header an htmx request may carry the token in.
pub const HEADER: &str = "x-csrf-token";

/// A form POST of a signed-in user: its session and its fields.
pub struct Posted<T> {
    pub session: Session,
    pub form: T,
}

#[derive(Deserialize)]
struct Token {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
}

impl<T: DeserializeOwned> FromRequest<AppState> for Posted<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, WebError> {
        let (mut parts, body) = request.into_parts();
        let session = Session::from_request_parts(&mut parts, state).await?;
        let header = parts
            .headers
            .get(HEADER)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let request = Request::from_parts(parts, body);
        // Bounded by the API's body limit (`DefaultBodyLimit`), which covers the pages too.
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|_| WebError::BadForm("the form could not be read".into()))?;
        let sent = serde_urlencoded::from_bytes::<Token>(&body)
            .ok()
            .and_then(|token| token.csrf)
            .or(header);
        if !sent.is_some_and(|sent| same(&sent, &session.csrf_token)) {
            return Err(WebError::Csrf);
        }
        let form = serde_urlencoded::from_bytes::<T>(&body)
            .map_err(|error| WebError::BadForm(error.to_string()))?;
        Ok(Self { session, form })
    }
}

/// Equal, in time that depends only on the lengths.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn tokens_are_compared_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
        assert!(!same("", "a"));
    }
}
