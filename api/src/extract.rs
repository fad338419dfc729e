//! Extractors whose rejections are problems: [`Json`] bodies and [`Query`] strings.
//!
//! Request types deserialize straight into domain value types (which parse as they
//! deserialize), so a bad value is reported with the domain's own message and the path of
//! the field, e.g. `title: title must be 1–200 characters (got 0)`.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::ApiError;

/// A JSON request body (`application/json` or `application/*+json`), limited in size by
/// the app's body limit. Also a JSON response.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(req.headers()) {
            return Err(not_json_content());
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(body_rejection)?;
        parse_json(&bytes).map(Json)
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// A JSON body that may be absent: an empty body is `None`, anything else is read as
/// [`Json`] reads it.
#[derive(Debug, Clone, Copy, Default)]
pub struct OptionalJson<T>(pub Option<T>);

impl<T, S> FromRequest<S> for OptionalJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let json = is_json(req.headers());
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(body_rejection)?;
        if bytes.is_empty() {
            return Ok(OptionalJson(None));
        }
        if !json {
            return Err(not_json_content());
        }
        parse_json(&bytes).map(|value| OptionalJson(Some(value)))
    }
}

fn not_json_content() -> ApiError {
    ApiError::UnsupportedMediaType(
        "the request body must be JSON: send `Content-Type: application/json`".into(),
    )
}

/// Deserialize a JSON body, naming the position of a syntax error or the path of the field
/// at fault.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if has_nul(bytes) {
        return Err(ApiError::Malformed(
            "the request body's strings must not contain NUL (\\u0000)".into(),
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let message = without_location(&inner);
                let field = field_of(&path, &message);
                ApiError::invalid_field(field.clone(), format!("{field}: {message}"))
            }
            _ => not_json(&inner),
        }
    })?;
    deserializer.end().map_err(|e| not_json(&e))?;
    Ok(value)
}

/// Does a JSON text hold a NUL (`\u0000`) in a string? PostgreSQL's `jsonb` and `text`
/// cannot store one. (A backslash can only stand in a string in JSON, and a raw NUL is
/// not JSON at all.)
fn has_nul(bytes: &[u8]) -> bool {
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'\\' {
            if bytes[at + 1..].starts_with(b"u0000") {
                return true;
            }
            at += 2;
        } else {
            at += 1;
        }
    }
    false
}

fn not_json(error: &serde_json::Error) -> ApiError {
    ApiError::Malformed(format!("the request body is not valid JSON: {error}"))
}

/// A query string, deserialized with the path of the parameter at fault.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        // No text column of PostgreSQL can hold a NUL: refused here, not by the database.
        let nul = form_urlencoded::parse(query.as_bytes())
            .find(|(name, value)| name.contains('\0') || value.contains('\0'));
        if let Some((name, _)) = nul {
            let field = name.replace('\0', "\\0");
            return Err(ApiError::invalid_field(
                field.clone(),
                format!("query parameter `{field}`: must not contain NUL (%00)"),
            ));
        }
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(Query)
            .map_err(|error| {
                let path = error.path().to_string();
                let message = error.into_inner().to_string();
                let field = field_of(&path, &message);
                ApiError::invalid_field(
                    field.clone(),
                    format!("query parameter `{field}`: {message}"),
                )
            })
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    let Some(Ok(content_type)) = headers.get(header::CONTENT_TYPE).map(|v| v.to_str()) else {
        return false;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || essence
            .strip_prefix("application/")
            .is_some_and(|subtype| subtype.ends_with("+json"))
}

fn body_rejection(rejection: BytesRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge("the request body is larger than the API accepts".into())
    } else {
        ApiError::Malformed(format!("the request body could not be read: {rejection}"))
    }
}

/// serde_json's message without its ` at line L column C` suffix (the path says where).
fn without_location(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rsplit_once(" at line ") {
        Some((message, _)) => message.to_owned(),
        None => message,
    }
}

/// The field an error is about. serde names a missing or unknown field in its message; for
/// a missing one the path points at the object that lacks it.
fn field_of(path: &str, message: &str) -> String {
    let named = ["missing field `", "unknown field `"]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix))
        .and_then(|rest| rest.split('`').next());
    match named {
        Some(name) if path == "." => name.to_owned(),
        Some(name) if path != name && !path.ends_with(&format!(".{name}")) => {
            format!("{path}.{name}")
        }
        _ => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn content_type(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn json_and_json_suffixed_media_types_are_json() {
        for json in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/merge-patch+json",
        ] {
            assert!(is_json(&content_type(json)), "{json}");
        }
        for other in ["text/plain", "application/jsonx", "text/json"] {
            assert!(!is_json(&content_type(other)), "{other}");
        }
        assert!(!is_json(&HeaderMap::new()));
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        inner: Inner,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        count: u8,
    }

    fn field(body: &str) -> String {
        match parse_json::<Outer>(body.as_bytes()) {
            Err(ApiError::InvalidField { field, .. }) => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_nested_field_at_fault_is_named_by_its_path() {
        assert_eq!(field(r#"{"inner": {"count": "x"}}"#), "inner.count");
        assert_eq!(field(r#"{"inner": {}}"#), "inner.count");
        assert_eq!(
            field(r#"{"inner": {"count": 1, "extra": 2}}"#),
            "inner.extra"
        );
        assert_eq!(field(r#"{}"#), "inner");
    }

    #[test]
    fn json_nested_too_deep_or_not_utf8_is_malformed_not_a_stack_overflow() {
        for body in ["[".repeat(100_000), "{\"a\":".repeat(100_000)] {
            let result = parse_json::<serde_json::Value>(body.as_bytes());
            assert!(matches!(result, Err(ApiError::Malformed(_))), "{result:?}");
        }
        let result = parse_json::<serde_json::Value>(b"\"\xff\xfe\"");
        assert!(matches!(result, Err(ApiError::Malformed(_))), "{result:?}");
    }

    #[test]
    fn a_nul_in_a_json_string_is_malformed_and_an_escaped_backslash_is_not_one() {
        let result = parse_json::<serde_json::Value>(br#"{"title": "a\u0000b"}"#);
        assert!(matches!(result, Err(ApiError::Malformed(_))), "{result:?}");
        let text: serde_json::Value = parse_json(br#"{"title": "a\\u0000b"}"#).unwrap();
        assert_eq!(text["title"], "a\\u0000b");
    }

    #[tokio::test]
    async fn a_query_parameter_with_a_nul_is_an_invalid_field() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Params {
            prefix: Option<String>,
        }
        let request = axum::http::Request::get("/v1/streams?limit=5&prefix=a%00b")
            .body(())
            .unwrap();
        let (mut parts, ()) = request.into_parts();
        match Query::<Params>::from_request_parts(&mut parts, &()).await {
            Err(ApiError::InvalidField { field, .. }) => assert_eq!(field, "prefix"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn trailing_bytes_after_the_json_are_malformed() {
        let result = parse_json::<Outer>(br#"{"inner": {"count": 1}} x"#);
        assert!(matches!(result, Err(ApiError::Malformed(_))));
    }
}
