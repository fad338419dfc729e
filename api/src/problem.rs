//! RFC 9457 problem documents (`application/problem+json`), the catalogue of their types,
//! and their OpenAPI responses ([`responses`]). A leaf of the crate.
//!
//! Every error kind has a stable `type` URI under [`BASE`]; clients branch on `type` (and on
//! `rule` for a business rule), never on `detail`, which is for humans.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};

/// The prefix of every problem type URI.
pub const BASE: &str = "https://lectern.dev/problems/";

/// The media type of a problem document.
pub const CONTENT_TYPE: &str = "application/problem+json";

/// A kind of problem: its status, stable slug and short title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProblemType {
    pub status: StatusCode,
    pub slug: &'static str,
    pub title: &'static str,
}

macro_rules! problem_types {
    ($($name:ident = $status:ident, $slug:literal, $title:literal;)*) => {
        $(
            pub const $name: ProblemType = ProblemType {
                status: StatusCode::$status,
                slug: $slug,
                title: $title,
            };
        )*
        /// Every problem type the API answers with (rule violations add their own slugs).
        pub const ALL: &[ProblemType] = &[$($name),*];
    };
}

problem_types! {
    MALFORMED_REQUEST = BAD_REQUEST, "malformed-request", "The request is malformed";
    INVALID_FIELD = BAD_REQUEST, "invalid-field", "A field of the request is invalid";
    UNAUTHORIZED = UNAUTHORIZED, "unauthorized", "Authentication is required";
    FORBIDDEN = FORBIDDEN, "forbidden", "The caller's role does not allow this";
    NOT_FOUND = NOT_FOUND, "not-found", "No such resource";
    METHOD_NOT_ALLOWED = METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed here";
    ALREADY_EXISTS = CONFLICT, "already-exists", "The resource already exists";
    ALREADY_TAKEN = CONFLICT, "already-taken", "The value is already taken";
    CONTENDED = CONFLICT, "contended", "The resource kept changing; try again";
    VERSION_CONFLICT = PRECONDITION_FAILED, "version-conflict", "The resource is not at the version given in If-Match";
    PAYLOAD_TOO_LARGE = PAYLOAD_TOO_LARGE, "payload-too-large", "The request body is too large";
    REQUEST_TIMEOUT = REQUEST_TIMEOUT, "request-timeout", "The request took too long to arrive or to answer";
    UNSUPPORTED_MEDIA_TYPE = UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "The request body must be JSON";
    RULE_VIOLATED = UNPROCESSABLE_ENTITY, "rule-violated", "A business rule refused the command";
    IDEMPOTENCY_KEY_REUSED = UNPROCESSABLE_ENTITY, "idempotency-key-reused", "The Idempotency-Key was used for a different request";
    TOO_MANY_REQUESTS = TOO_MANY_REQUESTS, "too-many-requests", "This client sends requests too fast";
    TOO_MANY_LIVE_FEEDS = TOO_MANY_REQUESTS, "too-many-live-feeds", "This user has as many live feeds open as allowed";
    NOT_YET_CONSISTENT = SERVICE_UNAVAILABLE, "not-yet-consistent", "The read model has not caught up yet";
    UNAVAILABLE = SERVICE_UNAVAILABLE, "unavailable", "A dependency is unavailable";
    OVERLOADED = SERVICE_UNAVAILABLE, "overloaded", "The server has too many requests in flight";
    LIVE_FEEDS_FULL = SERVICE_UNAVAILABLE, "live-feeds-full", "The server has as many live feeds open as it allows";
    INTERNAL = INTERNAL_SERVER_ERROR, "internal-error", "Internal error";
}

/// A problem document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "https://lectern.dev/problems/lesson-not-approved",
    "title": "A business rule refused the command",
    "status": 422,
    "detail": "the lesson is in review, not approved",
    "rule": "lesson-not-approved"
}))]
pub struct Problem {
    /// Stable URI of the problem's kind; for a business rule, the rule's own URI.
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    /// What went wrong this time, for humans.
    pub detail: String,
    /// The business rule that refused a command (with 404, 409 and 422).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The request field at fault (with 400), e.g. `title` or `content.sections[0]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl Problem {
    pub fn new(kind: ProblemType, detail: impl Into<String>) -> Self {
        Self {
            type_uri: format!("{BASE}{}", kind.slug),
            title: kind.title.to_owned(),
            status: kind.status.as_u16(),
            detail: detail.into(),
            rule: None,
            field: None,
        }
    }

    /// A problem about a business rule: with 422 its `type` is the rule's own URI.
    pub fn for_rule(kind: ProblemType, rule: &str, detail: impl Into<String>) -> Self {
        let mut problem = Self::new(kind, detail);
        if kind == RULE_VIOLATED {
            problem.type_uri = format!("{BASE}{rule}");
        }
        problem.rule = Some(rule.to_owned());
        problem
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

/// OpenAPI responses of problem documents, one per `(status, description)`.
pub fn responses(statuses: &[(u16, &str)]) -> BTreeMap<String, RefOr<Response>> {
    statuses
        .iter()
        .map(|(status, description)| {
            let content = ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build();
            let response = ResponseBuilder::new()
                .description(*description)
                .content(CONTENT_TYPE, content)
                .build();
            (status.to_string(), RefOr::T(response))
        })
        .collect()
}
