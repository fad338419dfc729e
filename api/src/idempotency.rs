//! `Idempotency-Key`: a retried command returns its first response and appends nothing.
//!
//! The key (1–200 visible ASCII characters) maps to a command id, UUIDv5 of the actor's id
//! and the key, so two clients' keys never collide and the same key always names the same
//! command. The event store keeps the command id with the events it appended and returns
//! the first result on a repeat.
//!
//! What the store cannot tell is whether a repeat is the *same* request. So before the
//! command runs, [`claim`] records a fingerprint of it (SHA-256 of a server key, method,
//! path and the body's canonical JSON) in `api.idempotency_keys`; the same key with another
//! fingerprint is refused with 422 `idempotency-key-reused`. The first claim wins by the
//! primary key, also when two arrive at once. The server key is there because some bodies
//! carry passwords: a plain SHA-256 of one would be a fast hash of the password sitting in
//! the database next to its slow argon2id one.
//!
//! Two identical requests at once both pass the claim and both run. The store lets only one
//! append (the command id is unique, checked before the expected version, also within one
//! batch). The other may instead have decided against the state the first one left
//! (e.g. "already submitted"), so a command that fails after a claim looks up the first
//! result ([`first_result`]) and answers with it when there is one.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use commands::CommandOutcome;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

use crate::{ApiError, AppState};

pub const HEADER: HeaderName = HeaderName::from_static("idempotency-key");

/// Set on a response that repeats the first response to the same key.
pub const REPLAYED_HEADER: HeaderName = HeaderName::from_static("idempotent-replayed");

pub const MAX_KEY_CHARS: usize = 200;

/// The namespace of the command ids derived from keys (a fixed random UUID: changing it
/// would make every stored key unknown).
const NAMESPACE: Uuid = Uuid::from_u128(0x468ec324_35a7_426e_8142_649aea6de671);

/// A client's idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// The key of a request, if it sent one; 400 when it is empty, too long or not ASCII.
    pub fn from_headers(headers: &HeaderMap) -> Result<Option<Self>, ApiError> {
        let Some(value) = headers.get(&HEADER) else {
            return Ok(None);
        };
        let invalid = || {
            ApiError::Malformed(format!(
                "Idempotency-Key must be 1–{MAX_KEY_CHARS} visible ASCII characters"
            ))
        };
        let key = value.to_str().map_err(|_| invalid())?;
        if key.is_empty() || key.len() > MAX_KEY_CHARS {
            return Err(invalid());
        }
        Ok(Some(Self(key.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The command id of this key for this actor.
    pub fn command_id(&self, actor: Uuid) -> Uuid {
        let mut name = Vec::with_capacity(16 + self.0.len());
        name.extend_from_slice(actor.as_bytes());
        name.extend_from_slice(self.0.as_bytes());
        Uuid::new_v5(&NAMESPACE, &name)
    }
}

/// What makes two requests "the same" for a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFingerprint {
    pub method: Method,
    pub path: String,
    pub sha256: [u8; 32],
}

impl RequestFingerprint {
    /// The fingerprint of a request under the server's `key` (`AppState::fingerprint_key`).
    pub fn of(key: &[u8; 32], method: &Method, path: &str, body: &[u8]) -> Self {
        let mut hasher = Sha256::new();
        // A secret prefix: without it the hash of a body cannot be recomputed, so neither
        // can a password in it be guessed offline. (Length extension is no concern: nobody
        // needs to forge a fingerprint, only not to invert one.)
        hasher.update(key);
        hasher.update(method.as_str());
        hasher.update([0]);
        hasher.update(path);
        hasher.update([0]);
        match serde_json::from_slice::<Value>(body) {
            // Whitespace and key order do not make a JSON body different.
            Ok(json) => {
                hasher.update(b"json:");
                canonical(&json, &mut hasher);
            }
            Err(_) => {
                hasher.update(b"raw:");
                hasher.update(body);
            }
        }
        Self {
            method: method.clone(),
            path: path.to_owned(),
            sha256: hasher.finalize().into(),
        }
    }
}

/// Objects with their keys sorted; everything else as compact JSON.
fn canonical(value: &Value, hasher: &mut Sha256) {
    match value {
        Value::Object(fields) => {
            let mut keys: Vec<&String> = fields.keys().collect();
            keys.sort();
            hasher.update(b"{");
            for key in keys {
                hasher.update(Value::String(key.clone()).to_string());
                hasher.update(b":");
                canonical(&fields[key], hasher);
                hasher.update(b",");
            }
            hasher.update(b"}");
        }
        Value::Array(items) => {
            hasher.update(b"[");
            for item in items {
                canonical(item, hasher);
                hasher.update(b",");
            }
            hasher.update(b"]");
        }
        leaf => hasher.update(leaf.to_string()),
    }
}

/// Middleware: a command request with a key gets its [`RequestFingerprint`] (the body is
/// read here, within the body limit, and handed on unchanged).
pub async fn fingerprint(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.method().is_safe() || !request.headers().contains_key(&HEADER) {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, state.config.body_limit).await {
        Ok(bytes) => bytes,
        Err(error) => return body_error(error).into_response(),
    };
    let fingerprint = RequestFingerprint::of(
        &state.fingerprint_key,
        &parts.method,
        parts.uri.path(),
        &bytes,
    );
    parts.extensions.insert(fingerprint);
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn body_error(error: axum::Error) -> ApiError {
    let inner = error.into_inner();
    if inner.is::<http_body_util::LengthLimitError>() {
        ApiError::PayloadTooLarge("the request body is larger than the API accepts".into())
    } else {
        ApiError::Malformed(format!("the request body could not be read: {inner}"))
    }
}

/// Record that `key` names the request `fingerprint` for `actor`; 422 if it already names
/// another request.
pub async fn claim(
    pool: &PgPool,
    key: &IdempotencyKey,
    actor: Uuid,
    fingerprint: &RequestFingerprint,
) -> Result<Uuid, ApiError> {
    let command_id = key.command_id(actor);
    let inserted = sqlx::query!(
        "INSERT INTO api.idempotency_keys (command_id, actor_id, key, method, path, request_hash)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (command_id) DO NOTHING",
        command_id,
        actor,
        key.as_str(),
        fingerprint.method.as_str(),
        fingerprint.path,
        fingerprint.sha256.as_slice(),
    )
    .execute(pool)
    .await?
    .rows_affected()
        == 1;
    if inserted {
        return Ok(command_id);
    }
    // A new statement, so a claim committed after this one started is visible.
    let stored = sqlx::query_scalar!(
        "SELECT request_hash FROM api.idempotency_keys WHERE command_id = $1",
        command_id,
    )
    .fetch_one(pool)
    .await?;
    if stored == fingerprint.sha256 {
        Ok(command_id)
    } else {
        Err(ApiError::IdempotencyKeyReused {
            key: key.as_str().to_owned(),
        })
    }
}

/// The first result of `command_id`, if a command with it was appended.
pub async fn first_result(
    pool: &PgPool,
    command_id: Uuid,
) -> Result<Option<CommandOutcome>, sqlx::Error> {
    eventstore::read::command_result(pool, command_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_names_the_same_command_every_time_and_another_for_another_actor() {
        let key = IdempotencyKey("order-1".into());
        let (alice, bob) = (Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(key.command_id(alice), key.command_id(alice));
        assert_ne!(key.command_id(alice), key.command_id(bob));
        assert_eq!(key.command_id(alice).get_version_num(), 5);
    }

    #[test]
    fn whitespace_and_key_order_do_not_change_a_fingerprint_but_values_do() {
        let key = [7; 32];
        let of = |body: &str| {
            RequestFingerprint::of(&key, &Method::POST, "/v1/lessons", body.as_bytes())
        };
        let compact = of(r#"{"a":1,"b":{"c":[1,2]}}"#);
        assert_eq!(compact, of("{ \"b\": { \"c\": [1, 2] },\n \"a\": 1 }"));
        assert_ne!(compact, of(r#"{"a":2,"b":{"c":[1,2]}}"#));
        assert_ne!(compact, of(r#"{"a":1,"b":{"c":[2,1]}}"#));
        let elsewhere = RequestFingerprint::of(
            &key,
            &Method::POST,
            "/v1/other",
            b"{\"a\":1,\"b\":{\"c\":[1,2]}}",
        );
        assert_ne!(compact, elsewhere);
    }

    #[test]
    fn another_server_key_gives_another_fingerprint() {
        let body = br#"{"password":"correct horse battery"}"#;
        let path = "/v1/users/1/password";
        assert_ne!(
            RequestFingerprint::of(&[1; 32], &Method::POST, path, body),
            RequestFingerprint::of(&[2; 32], &Method::POST, path, body)
        );
    }
}
