//! The agents' side of a content request: recording the steps of the work, and ending the
//! request as generated or failed. For agent workers in any language (role `agent`, whose
//! permission is `submit:agent_results`) and admins.
//!
//! Which request an agent may work on is not restricted: agents work on every request. The
//! rules of a request's life (nothing happens to a finished request; a step starts once and
//! ends once) are `domain::ContentRequest`'s, so a refusal is a 422 naming its rule. An
//! agent that retries after a lost response sends the same `Idempotency-Key` (e.g. derived
//! from the id of the event it is working on) and gets the first response back.

use axum::extract::State;
use domain::{ContentRequestCommand, Permission};

use super::ContentRequestPath;
use super::dto::{MAX_FAILURE_CHARS, MarkFailed, MarkGenerated, RecordStep, bounded_object, text};
use crate::command::{CommandAccepted, CommandRequest, CommandResponse};
use crate::extract::Json;
use crate::openapi::{CommandErrors, CommandHeaders};
use crate::{ApiError, AppState};

/// Mark a content request generated, with the agents' outputs.
///
/// Agents and admins. Only while the request is requested or in progress (422
/// `content-request-already-cancelled`, `content-request-finished`; 404
/// `content-request-not-found`). Attach the content to the lesson first
/// (`POST /v1/lessons/{id}/generated-content`): whoever reacts to `ContentGenerated` may
/// then expect to find it there.
#[utoipa::path(
    post, path = "/v1/content-requests/{id}/generated", tag = "content-requests",
    request_body = MarkGenerated,
    params(("id" = Uuid, Path, description = "The content request's id"), CommandHeaders),
    responses(
        (status = OK, description = "Marked generated", body = CommandAccepted,
         headers(("ETag" = String, description = "The request's version"))),
        CommandErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn generated(
    State(state): State<AppState>,
    ContentRequestPath(id): ContentRequestPath,
    request: CommandRequest,
    Json(body): Json<MarkGenerated>,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::SubmitAgentResults)?;
    let outputs = bounded_object("outputs", body.outputs)?;
    let command = ContentRequestCommand::MarkGenerated { outputs };
    let outcome = request
        .run(&state.content_requests, &state.pool, id.as_uuid(), &command)
        .await?;
    Ok(CommandResponse::ok(outcome))
}

/// Mark a content request failed: generation gave up.
///
/// Agents and admins. Only while the request is requested or in progress (422
/// `content-request-already-cancelled`, `content-request-finished`; 404
/// `content-request-not-found`).
#[utoipa::path(
    post, path = "/v1/content-requests/{id}/failed", tag = "content-requests",
    request_body = MarkFailed,
    params(("id" = Uuid, Path, description = "The content request's id"), CommandHeaders),
    responses(
        (status = OK, description = "Marked failed", body = CommandAccepted,
         headers(("ETag" = String, description = "The request's version"))),
        CommandErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn failed(
    State(state): State<AppState>,
    ContentRequestPath(id): ContentRequestPath,
    request: CommandRequest,
    Json(body): Json<MarkFailed>,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::SubmitAgentResults)?;
    let reason = text("reason", body.reason, MAX_FAILURE_CHARS)?;
    let command = ContentRequestCommand::MarkFailed { reason };
    let outcome = request
        .run(&state.content_requests, &state.pool, id.as_uuid(), &command)
        .await?;
    Ok(CommandResponse::ok(outcome))
}

/// Record an agent step: an attempt started, completed or failed.
///
/// Agents and admins. `status` chooses the fields: `started` takes none besides `agent`
/// and `attempt`; `completed` needs `output`, `duration_ms`, `provider` and `model` (and
/// takes `usage`); `failed` needs `reason` and `duration_ms` (and takes `provider`). A
/// missing or extra field is a 400 naming it. The request must not be finished (422
/// `content-request-already-cancelled`, `content-request-finished`); an attempt starts
/// once (422 `agent-step-already-started`) and ends once, after it started (422
/// `agent-step-not-running`). The first step started moves the request to `in_progress`.
#[utoipa::path(
    post, path = "/v1/content-requests/{id}/steps", tag = "content-requests",
    request_body = RecordStep,
    params(("id" = Uuid, Path, description = "The content request's id"), CommandHeaders),
    responses(
        (status = OK, description = "Recorded", body = CommandAccepted,
         headers(("ETag" = String, description = "The request's version"))),
        CommandErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn steps(
    State(state): State<AppState>,
    ContentRequestPath(id): ContentRequestPath,
    request: CommandRequest,
    Json(body): Json<RecordStep>,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::SubmitAgentResults)?;
    let command = body.into_command()?;
    let outcome = request
        .run(&state.content_requests, &state.pool, id.as_uuid(), &command)
        .await?;
    Ok(CommandResponse::ok(outcome))
}
