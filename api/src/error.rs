//! [`ApiError`], the one error type of every handler, and the one place that chooses an
//! HTTP status for it.
//!
//! Each variant becomes an RFC 9457 problem ([`crate::problem`]). 5xx answers log the whole
//! cause chain under the request's span and never show it to the client.

use std::error::Error as StdError;
use std::fmt;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use commands::CommandError;
use domain::{Rejection, RejectionKind, ValueError};
use eventstore::{AppendError, ReadError};

use crate::problem::{self, Problem, ProblemType};

/// Seconds a client should wait before retrying a 503.
const RETRY_UNAVAILABLE_SECS: u32 = 5;
const RETRY_NOT_YET_CONSISTENT_SECS: u32 = 1;

/// Why a request failed. Each variant's doc names its status.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body is not JSON, or a header cannot be parsed.
    #[error("{0}")]
    Malformed(String),
    /// 400: a field is missing, unknown, of the wrong type or out of its rules.
    #[error("{detail}")]
    InvalidField { field: String, detail: String },
    /// 401: no usable bearer token. `token_presented` chooses the `WWW-Authenticate` form.
    #[error("{detail}")]
    Unauthorized {
        detail: String,
        token_presented: bool,
    },
    /// 403: authenticated, but the role does not allow it.
    #[error("{0}")]
    Forbidden(String),
    /// 404.
    #[error("{0}")]
    NotFound(String),
    /// 405.
    #[error("this method is not allowed on this resource")]
    MethodNotAllowed,
    /// 413.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 415.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 422: the same `Idempotency-Key` came with a different request.
    #[error("the Idempotency-Key `{key}` was first used with a different request")]
    IdempotencyKeyReused { key: String },
    /// A command did not go through; its status is chosen by the kind of refusal.
    #[error(transparent)]
    Command(#[from] CommandError),
    /// 503 with `Retry-After`: the read model has not reached `?after=` in time.
    #[error("the read model has applied the log up to {reached}, not yet up to {after}")]
    NotYetConsistent { after: i64, reached: i64 },
    /// 429 with `Retry-After`: the user holds as many live feeds as one user may.
    #[error("{0}")]
    TooManyLiveFeeds(String),
    /// 503 with `Retry-After`: the server holds as many live feeds as it allows.
    #[error("{0}")]
    LiveFeedsFull(String),
    /// 503 with `Retry-After`: the store did not answer a command within its deadline (a
    /// command may still commit afterwards: retry with its `Idempotency-Key`).
    #[error("the command did not finish within {0:?}")]
    DeadlineExceeded(std::time::Duration),
    /// 503 when the database is unreachable, 500 otherwise.
    #[error("database error")]
    Database(#[from] sqlx::Error),
    /// 500.
    #[error("{context}")]
    Internal {
        context: &'static str,
        #[source]
        source: Box<dyn StdError + Send + Sync>,
    },
}

impl From<auth::Unauthorized> for ApiError {
    fn from(refusal: auth::Unauthorized) -> Self {
        Self::Unauthorized {
            detail: refusal.detail,
            token_presented: refusal.token_presented,
        }
    }
}

impl From<auth::Forbidden> for ApiError {
    fn from(refusal: auth::Forbidden) -> Self {
        Self::Forbidden(refusal.to_string())
    }
}

impl ApiError {
    pub fn invalid_field(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::InvalidField {
            field: field.into(),
            detail: detail.into(),
        }
    }

    /// A business rule's refusal found outside a `decide` (a proof about another
    /// aggregate failed to build): answered exactly as if `decide` had refused.
    pub fn rejected(rejection: impl Rejection) -> Self {
        Self::Command(CommandError::Rejected(Box::new(rejection)))
    }

    pub fn internal(
        context: &'static str,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        Self::Internal {
            context,
            source: source.into(),
        }
    }

    /// The problem document, and the `Retry-After` seconds of a 503.
    pub fn problem(&self) -> (Problem, Option<u32>) {
        let plain = |kind: ProblemType| (Problem::new(kind, self.to_string()), None);
        match self {
            Self::Malformed(_) => plain(problem::MALFORMED_REQUEST),
            Self::InvalidField { field, detail } => (
                Problem::new(problem::INVALID_FIELD, detail.clone()).with_field(field.clone()),
                None,
            ),
            Self::Unauthorized { .. } => plain(problem::UNAUTHORIZED),
            Self::Forbidden(_) => plain(problem::FORBIDDEN),
            Self::NotFound(_) => plain(problem::NOT_FOUND),
            Self::MethodNotAllowed => plain(problem::METHOD_NOT_ALLOWED),
            Self::PayloadTooLarge(_) => plain(problem::PAYLOAD_TOO_LARGE),
            Self::UnsupportedMediaType(_) => plain(problem::UNSUPPORTED_MEDIA_TYPE),
            Self::IdempotencyKeyReused { .. } => plain(problem::IDEMPOTENCY_KEY_REUSED),
            Self::Command(error) => command_problem(error),
            Self::NotYetConsistent { .. } => (
                Problem::new(problem::NOT_YET_CONSISTENT, self.to_string()),
                Some(RETRY_NOT_YET_CONSISTENT_SECS),
            ),
            Self::TooManyLiveFeeds(_) => (
                Problem::new(problem::TOO_MANY_LIVE_FEEDS, self.to_string()),
                Some(RETRY_UNAVAILABLE_SECS),
            ),
            Self::LiveFeedsFull(_) => (
                Problem::new(problem::LIVE_FEEDS_FULL, self.to_string()),
                Some(RETRY_UNAVAILABLE_SECS),
            ),
            Self::DeadlineExceeded(_) => unavailable(),
            Self::Database(error) if unreachable(error) => unavailable(),
            Self::Database(_) | Self::Internal { .. } => internal(),
        }
    }
}

fn command_problem(error: &CommandError) -> (Problem, Option<u32>) {
    let detail = error.to_string();
    match error {
        CommandError::Rejected(rejection) => {
            let kind = match rejection.kind() {
                RejectionKind::NotFound => problem::NOT_FOUND,
                RejectionKind::AlreadyExists => problem::ALREADY_EXISTS,
                RejectionKind::RuleViolated => problem::RULE_VIOLATED,
            };
            (Problem::for_rule(kind, rejection.rule(), detail), None)
        }
        CommandError::VersionMismatch { .. } => {
            (Problem::new(problem::VERSION_CONFLICT, detail), None)
        }
        CommandError::Contended { .. } => (Problem::new(problem::CONTENDED, detail), None),
        CommandError::Taken { scope, .. } => (
            Problem::new(problem::ALREADY_TAKEN, detail).with_field(scope.clone()),
            None,
        ),
        CommandError::InvalidStream(_) => (Problem::new(problem::MALFORMED_REQUEST, detail), None),
        CommandError::Store(AppendError::Closed | AppendError::Database(_)) => unavailable(),
        CommandError::Store(AppendError::PayloadTooLarge { .. }) => {
            (Problem::new(problem::PAYLOAD_TOO_LARGE, detail), None)
        }
        CommandError::Read(ReadError::Database(error)) if unreachable(error) => unavailable(),
        CommandError::Store(_) | CommandError::Read(_) | CommandError::Decode { .. } => internal(),
    }
}

fn unavailable() -> (Problem, Option<u32>) {
    let detail = "a dependency of the API is unavailable; retry later";
    (
        Problem::new(problem::UNAVAILABLE, detail),
        Some(RETRY_UNAVAILABLE_SECS),
    )
}

fn internal() -> (Problem, Option<u32>) {
    let detail = "the server failed; the X-Request-Id of this response names it in the logs";
    (Problem::new(problem::INTERNAL, detail), None)
}

/// Errors that say the database cannot be reached now (not that the request is wrong).
fn unreachable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        // SQLSTATE class 08: connection exception; 57P0x: the server is shutting down.
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P0")),
        _ => false,
    }
}

impl From<ValueError> for ApiError {
    fn from(error: ValueError) -> Self {
        Self::invalid_field(error.field(), error.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (problem, retry_after) = self.problem();
        match problem.status {
            500.. if retry_after.is_some() => {
                tracing::warn!(error = %Chain(&self), "request failed: dependency unavailable");
            }
            500.. => tracing::error!(error = %Chain(&self), "request failed"),
            _ => tracing::debug!(error = %self, "request refused"),
        }
        let mut response = problem_response(&problem);
        let headers = response.headers_mut();
        if let Some(seconds) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if let Self::Unauthorized {
            detail,
            token_presented,
        } = &self
        {
            headers.insert(
                header::WWW_AUTHENTICATE,
                challenge(detail, *token_presented),
            );
        }
        response
    }
}

/// A problem document as a response with its status and media type.
pub fn problem_response(problem: &Problem) -> Response {
    let status = axum::http::StatusCode::from_u16(problem.status)
        .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, axum::Json(problem)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(problem::CONTENT_TYPE),
    );
    response
}

/// RFC 6750 §3: no error code when no token came, `invalid_token` when one did.
fn challenge(detail: &str, token_presented: bool) -> HeaderValue {
    if !token_presented {
        return HeaderValue::from_static("Bearer realm=\"lectern\"");
    }
    let description: String = detail
        .chars()
        .filter(|c| (c.is_ascii_graphic() && !matches!(c, '"' | '\\')) || *c == ' ')
        .collect();
    HeaderValue::from_str(&format!(
        "Bearer realm=\"lectern\", error=\"invalid_token\", error_description=\"{description}\""
    ))
    .unwrap_or_else(|_| {
        HeaderValue::from_static("Bearer realm=\"lectern\", error=\"invalid_token\"")
    })
}

/// An error and all its sources on one line.
pub struct Chain<'a>(pub &'a dyn StdError);

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}
