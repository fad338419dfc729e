//! A content request's page: what was asked, the agents' steps as they happen (the region
//! re-renders from the request's stream whenever its live feed reports a step), the
//! review's findings, and the result once generated.

use api::AppState;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use domain::{AgentName, AgentStep, ContentRequest, ContentRequestStatus, Permission, StepOutcome};
use eventstore::StreamId;
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::result;
use crate::error::WebError;
use crate::layout;
use crate::session::Session;

/// The events after which the steps region is rendered again.
const LIVE_EVENTS: &str = "AgentStepStarted,AgentStepCompleted,AgentStepFailed,ContentGenerated,ContentGenerationFailed,ContentRequestCancelled";

/// The request from its stream, when this user may see it (the REST route's rule).
async fn visible(
    state: &AppState,
    session: &Session,
    id: Uuid,
) -> Result<ContentRequest, WebError> {
    let (_, request) = state
        .content_requests
        .state(id)
        .await
        .map_err(api::ApiError::from)?;
    match request.details() {
        Some(details)
            if api::content_requests::may_see(
                &session.authenticated(),
                details.requested_by.as_uuid(),
            ) =>
        {
            Ok(request)
        }
        _ => Err(api::ApiError::NotFound(format!("there is no content request {id}")).into()),
    }
}

pub async fn show(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
) -> Result<Markup, WebError> {
    session.caller.require(Permission::RequestContent)?;
    // The head first: the live feed starts after it, so no step between this read and
    // the browser's connection is missed.
    let head = eventstore::read::head(&state.pool).await?;
    let request = visible(&state, &session, id).await?;
    let Some(details) = request.details() else {
        return Err(api::ApiError::NotFound(format!("there is no content request {id}")).into());
    };
    let live = !request.status().is_finished();
    Ok(layout::page(
        &session,
        &format!("Content for {}", details.title.as_str()),
        html! {
            h1 { "Content for " (details.title.as_str()) }
            dl.facts {
                dt { "Lesson" } dd { a href=(format!("/lessons/{}", details.lesson_id)) { (details.title.as_str()) } }
                dt { "Subject" } dd { (details.subject.as_str()) ", grade " (details.grade_level.get()) }
                dt { "Objectives" } dd { ul.plain { @for objective in details.objectives.iter() { li { (objective) } } } }
                dt { "Length" } dd { (details.duration_minutes.get()) " minutes" }
                dt { "Parts" } dd { (details.parts.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ")) }
                @if let Some(theme) = &details.theme { dt { "Theme" } dd { (theme.as_str()) } }
            }
            @if live {
                div #progress aria-live="polite"
                    data-live-feed=(format!("/content/{id}/live?from={head}"))
                    data-live-events=(LIVE_EVENTS)
                    data-live-refresh=(format!("/content/{id}/steps")) {
                    (steps_of(&request))
                }
            } @else {
                div #progress { (steps_of(&request)) }
            }
        },
    ))
}

/// The steps region alone, for the live page to swap in.
pub async fn steps(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
) -> Result<Markup, WebError> {
    session.caller.require(Permission::RequestContent)?;
    let request = visible(&state, &session, id).await?;
    Ok(steps_of(&request))
}

fn agent_label(agent: AgentName) -> &'static str {
    match agent {
        AgentName::Content => "Content agent: the lesson plan and text",
        AgentName::Quiz => "Quiz agent",
        AgentName::Terrain => "Terrain agent: the 3D environment",
        AgentName::Script => "Script agent: the Roblox (Luau) script",
        AgentName::Review => "Review: the checks over every part",
    }
}

fn steps_of(request: &ContentRequest) -> Markup {
    let status = request.status();
    html! {
        h2 { "Progress " span.status data-test="request-status" { (status.as_str()) } }
        ol.steps data-test="steps" {
            li.step.done data-test="step" data-agent="supervisor" {
                strong { "Supervisor" } " — the request is received and its steps planned"
            }
            @for step in request.steps() { (step_item(step)) }
        }
        @match status {
            ContentRequestStatus::Generated => {
                div data-live-done { (result::outputs(request.outputs().unwrap_or(&Value::Null))) }
            }
            ContentRequestStatus::Failed => {
                p.error role="alert" data-live-done data-test="failed" {
                    "The agents gave up: " (request.details().and_then(|d| d.reason.clone()).unwrap_or_default())
                }
            }
            ContentRequestStatus::Cancelled => {
                p.muted data-live-done { "This request was cancelled." }
            }
            _ => { p.muted data-test="working" { "The agents are working; their steps appear here as they happen." } }
        }
    }
}

fn step_item(step: &AgentStep) -> Markup {
    let (class, outcome) = match &step.outcome {
        StepOutcome::Running => ("step running", "running…".to_owned()),
        StepOutcome::Completed {
            provider, model, ..
        } => ("step done", format!("done by {provider} ({model})")),
        StepOutcome::Failed { .. } => ("step failed", "failed".to_owned()),
    };
    html! {
        li class=(class) data-test="step" data-agent=(step.agent.as_str()) {
            strong { (agent_label(step.agent)) }
            @if step.attempt > 1 { " (attempt " (step.attempt) ")" }
            " — " span data-test="step-outcome" { (outcome) }
            @if let StepOutcome::Failed { reason } = &step.outcome { div.field-error { (reason) } }
            @if let (AgentName::Review, StepOutcome::Completed { output, .. }) = (step.agent, &step.outcome) {
                (result::review(output))
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct LiveQuery {
    from: Option<i64>,
}

/// The request's stream, live, for the steps region.
pub async fn live(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    Query(query): Query<LiveQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    session.caller.require(Permission::RequestContent)?;
    let stream = StreamId::new(domain::ContentRequestId::CATEGORY, id)
        .map_err(|error| api::ApiError::Malformed(error.to_string()))?;
    crate::live::stream(state, &session, stream, headers, query.from).await
}
