//! What every command route shares: the caller and the command headers in
//! ([`CommandRequest`]), the command run with its context, and the response out
//! ([`CommandResponse`]: `{stream_id, version, position, event_ids}` with `ETag`).
//!
//! `If-Match: "<version>"` pins the version the client saw (412 when the stream moved on);
//! `Idempotency-Key` makes a retry return the first response ([`crate::idempotency`]);
//! the request id becomes the events' correlation id, and a W3C `traceparent` is kept.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use commands::{CommandOutcome, CommandRunner};
use domain::{Aggregate, Permission};
use eventstore::Reservation;
use serde::Serialize;
use sqlx::PgPool;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Authenticated, TokenKeys};
use crate::idempotency::{self, IdempotencyKey, RequestFingerprint};
use crate::request_id::Origin;
use crate::{ApiError, extract::Json};

/// A command request: who sends it and how it is to run.
#[derive(Debug, Clone)]
pub struct CommandRequest {
    pub user: Authenticated,
    pub expected_version: Option<i64>,
    pub idempotency: Option<(IdempotencyKey, RequestFingerprint)>,
    /// The request's id and trace context, which the events record.
    pub origin: Origin,
}

impl CommandRequest {
    /// 403 unless the caller's role has `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        self.user.require(permission)
    }

    /// Run `command` on aggregate `id`, idempotently when the request carries a key.
    pub async fn run<A: Aggregate>(
        &self,
        runner: &CommandRunner<A>,
        pool: &PgPool,
        id: Uuid,
        command: &A::Command,
    ) -> Result<CommandOutcome, ApiError> {
        self.run_reserving(runner, pool, id, command, |_| Vec::new())
            .await
    }

    /// [`Self::run`], claiming the uniqueness reservations `reserve` derives from the
    /// decided events (e.g. a username) with them; a value another stream holds is 409.
    pub async fn run_reserving<A: Aggregate>(
        &self,
        runner: &CommandRunner<A>,
        pool: &PgPool,
        id: Uuid,
        command: &A::Command,
        reserve: impl Fn(&[A::Event]) -> Vec<Reservation>,
    ) -> Result<CommandOutcome, ApiError> {
        let mut context = self.origin.context(Some(self.user.actor()));
        context.expected_version = self.expected_version;
        let Some((key, fingerprint)) = &self.idempotency else {
            return within_deadline(runner.execute_reserving(id, command, &context, reserve)).await;
        };
        let command_id = idempotency::claim(pool, key, self.user.user_id, fingerprint).await?;
        context.command_id = Some(command_id);
        match within_deadline(runner.execute_reserving(id, command, &context, reserve)).await {
            Ok(outcome) => Ok(outcome),
            // A twin of this request may have committed after the runner looked for it
            // and before it loaded the state it then decided on.
            Err(error) => match idempotency::first_result(pool, command_id).await {
                Ok(Some(first)) => Ok(first),
                _ => Err(error),
            },
        }
    }
}

/// Longest a command may take to load, decide and append. Past it the request answers 503
/// with `Retry-After` rather than hang, e.g. while PostgreSQL restarts and an append waits
/// for the store's writer to reconnect. The append may still commit afterwards: a client
/// retrying with its `Idempotency-Key` then gets the first result, as after any 503.
pub const COMMAND_DEADLINE: Duration = Duration::from_secs(5);

async fn within_deadline(
    running: impl Future<Output = Result<CommandOutcome, commands::CommandError>>,
) -> Result<CommandOutcome, ApiError> {
    match tokio::time::timeout(COMMAND_DEADLINE, running).await {
        Ok(outcome) => Ok(outcome?),
        Err(_) => Err(ApiError::DeadlineExceeded(COMMAND_DEADLINE)),
    }
}

impl<S> FromRequestParts<S> for CommandRequest
where
    Arc<TokenKeys>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let user = Authenticated::from_request_parts(parts, state).await?;
        let expected_version = if_match(&parts.headers)?;
        let idempotency = match IdempotencyKey::from_headers(&parts.headers)? {
            None => None,
            Some(key) => {
                let fingerprint = parts
                    .extensions
                    .get::<RequestFingerprint>()
                    .cloned()
                    .ok_or_else(|| {
                        ApiError::internal(
                            "idempotency",
                            "no request fingerprint: the fingerprint middleware is missing",
                        )
                    })?;
                Some((key, fingerprint))
            }
        };
        let origin = Origin::from_request_parts(parts, state)
            .await
            .unwrap_or_else(|never| match never {});
        Ok(Self {
            user,
            expected_version,
            idempotency,
            origin,
        })
    }
}

/// `If-Match: "<version>"`. `*` pins nothing (every command but a draft needs the lesson
/// to exist anyway); anything else is 400.
fn if_match(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let raw = value.to_str().unwrap_or_default().trim();
    if raw == "*" {
        return Ok(None);
    }
    raw.strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .and_then(|version| version.parse::<i64>().ok())
        .filter(|version| *version >= 0)
        .map(Some)
        .ok_or_else(|| {
            ApiError::Malformed(format!(
                "If-Match must be one ETag as this API sends them, e.g. \"3\" (got {raw:?})"
            ))
        })
}

/// The body of a command's response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CommandAccepted {
    /// The stream the command wrote to, e.g. `lesson-0190…`.
    pub stream_id: String,
    /// The stream's version after the command (also the `ETag`).
    pub version: i64,
    /// The log position of the command's last event: pass it as `?after=` to a query to
    /// read your own write.
    pub position: i64,
    pub event_ids: Vec<Uuid>,
}

/// A command's response: 201 with `Location` for a creation, else 200; `ETag` always.
#[derive(Debug, Clone)]
pub struct CommandResponse {
    outcome: CommandOutcome,
    location: Option<String>,
}

impl CommandResponse {
    pub fn ok(outcome: CommandOutcome) -> Self {
        Self {
            outcome,
            location: None,
        }
    }

    pub fn created(outcome: CommandOutcome, location: String) -> Self {
        Self {
            outcome,
            location: Some(location),
        }
    }
}

impl IntoResponse for CommandResponse {
    fn into_response(self) -> Response {
        let status = match self.location {
            Some(_) => StatusCode::CREATED,
            None => StatusCode::OK,
        };
        let outcome = self.outcome;
        let body = CommandAccepted {
            stream_id: outcome.stream_id,
            version: outcome.version,
            position: outcome.last_position,
            event_ids: outcome.event_ids,
        };
        let mut response = (status, Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::ETAG, etag(outcome.version));
        if let Some(location) = self.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
            headers.insert(header::LOCATION, location);
        }
        if outcome.duplicate {
            headers.insert(
                idempotency::REPLAYED_HEADER,
                HeaderValue::from_static("true"),
            );
        }
        response
    }
}

/// The `ETag` of a stream at `version`.
pub fn etag(version: i64) -> HeaderValue {
    HeaderValue::try_from(format!("\"{version}\""))
        // Quotes around an integer's digits are always a valid header value.
        .expect("a quoted integer is a valid header value")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_if_match(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_MATCH, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn if_match_takes_one_quoted_version_and_star_pins_nothing() {
        assert_eq!(if_match(&HeaderMap::new()).unwrap(), None);
        assert_eq!(if_match(&with_if_match("\"7\"")).unwrap(), Some(7));
        assert_eq!(if_match(&with_if_match("*")).unwrap(), None);
        for bad in ["7", "W/\"7\"", "\"7\", \"8\"", "\"-1\"", "\"seven\""] {
            assert!(if_match(&with_if_match(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_etag_is_the_quoted_version() {
        assert_eq!(etag(12), "\"12\"");
    }
}
