//! The OpenAPI 3.1 document, generated from the handlers (`utoipa`): [`document`] is its
//! base (info, bearer security, the problem schema); each resource's `router()` adds its
//! paths. Also the reusable parts: command headers and the problem responses.

use std::collections::BTreeMap;

use serde::Deserialize;
use utoipa::openapi::RefOr;
use utoipa::openapi::response::Response;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, IntoResponses, Modify, OpenApi};

use crate::command::CommandAccepted;
use crate::problem::{self, Problem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Lectern",
        description = "Commands and queries of Lectern, the event-sourced backbone of a \
                       learning-content platform. Errors are RFC 9457 problems \
                       (`application/problem+json`) with a stable `type` per kind.",
    ),
    components(schemas(Problem, CommandAccepted)),
    modifiers(&BearerSecurity),
    tags(
        (name = "auth", description = "Signing in and refreshing tokens"),
        (name = "users", description = "Accounts: registration, roles, deactivation, passwords, a student's parents"),
        (name = "lessons", description = "Drafting, reviewing and publishing lessons; the lesson catalog"),
        (name = "classes", description = "A teacher's classes: creation, enrollments, assigned lessons, archiving; classes, rosters and their progress"),
        (name = "content-requests", description = "Asking the agents for generated content for a lesson, cancelling, and the requests' status"),
        (name = "progress", description = "A student's own progress through a lesson: start, record, complete; reading one's own or a linked child's"),
        (name = "analytics", description = "Aggregate read models for dashboards and analysts: lesson funnels, class dashboards, daily activity, agent performance"),
        (name = "audit", description = "For auditors: any stream or the whole log in order (also as NDJSON), any aggregate as it stood at a version or time, the streams, and verifying the hash chain"),
        (name = "live", description = "Live feeds (Server-Sent Events): the log, a stream, what concerns the caller, read models' checkpoints; resumable with Last-Event-ID; stream tickets for EventSource"),
        (name = "health", description = "Liveness and readiness"),
    ),
)]
struct ApiDoc;

/// The document's base, before the routers add their paths.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

struct BearerSecurity;

impl Modify for BearerSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("An access token (HS256 JWT)"))
                    .build(),
            ),
        );
    }
}

/// The headers every command route takes (documentation only; [`crate::command`] reads them).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct CommandHeaders {
    /// The version the client last saw, as the `ETag` gave it (`"3"`): the command is
    /// refused with 412 if the resource has moved on.
    #[serde(rename = "If-Match")]
    #[param(value_type = String, pattern = r#"^(\*|"[0-9]{1,18}")$"#, example = "\"3\"")]
    if_match: Option<String>,
    /// 1–200 visible ASCII characters naming this request: a retry with the same key and body returns
    /// the first response and changes nothing; with another body it is refused (422).
    #[serde(rename = "Idempotency-Key")]
    #[param(value_type = String, min_length = 1, max_length = 200, pattern = "^[!-~]{1,200}$")]
    idempotency_key: Option<String>,
    /// Any id for this request (else one is generated); echoed, and recorded as the
    /// correlation id of the events.
    #[serde(rename = "X-Request-Id")]
    #[param(value_type = String)]
    x_request_id: Option<String>,
}

/// The problem responses a command may get.
pub struct CommandErrors;

impl IntoResponses for CommandErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        problem::responses(&[
            (
                400,
                "Malformed JSON, a field of the wrong type, unknown or invalid (`field` names it), or a bad header",
            ),
            (401, "No valid access token"),
            (403, "The role may not run this command"),
            (
                404,
                "No such resource (`rule` names it, e.g. `lesson-not-found`, `class-not-found`, `progress-not-started`)",
            ),
            (
                409,
                "Already exists, a unique value (`field`: `username`, `email`) is taken, or the stream kept changing",
            ),
            (412, "If-Match names another version (`version-conflict`)"),
            (413, "The body is larger than the limit"),
            (415, "The body is not JSON"),
            (
                422,
                "A business rule refused the command (`rule` names it), or the Idempotency-Key was reused",
            ),
            (503, "A dependency is down; see Retry-After"),
        ])
    }
}

/// The problem responses a query may get.
pub struct QueryErrors;

impl IntoResponses for QueryErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        problem::responses(&[
            (400, "A query parameter is invalid (`field` names it)"),
            (401, "No valid access token"),
            (403, "The role may not see this"),
            (404, "No such resource, or not visible to the caller"),
            (
                503,
                "The read model has not reached `after` in time, or a dependency is down; see Retry-After",
            ),
        ])
    }
}

/// The refusals of [`crate::limits`], which any operation may get whatever it does: added to
/// every operation of the finished document that does not document that status already.
pub fn add_limit_responses(openapi: &mut utoipa::openapi::OpenApi) {
    const LIMITS: &[(u16, &str)] = &[
        (
            408,
            "The request did not arrive and get answered within the request timeout",
        ),
        (
            429,
            "This client sends requests too fast (`too-many-requests`); see Retry-After",
        ),
        (
            503,
            "Too many requests in flight (`overloaded`), or a dependency is down; see Retry-After",
        ),
    ];
    let limits = problem::responses(LIMITS);
    for item in openapi.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        for operation in operations.into_iter().flatten() {
            for (status, response) in &limits {
                operation
                    .responses
                    .responses
                    .entry(status.clone())
                    .or_insert_with(|| response.clone());
            }
        }
    }
}
