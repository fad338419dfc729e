//! `GET /v1/live/read-models`: read models' checkpoints as they advance, the push form of
//! `?after=`: a page showing a read model knows its data includes a position once the
//! model's checkpoint reaches it.
//!
//! The feed opens with every read model's checkpoint as it stands, then sends each
//! advance. Checkpoints are not one sequence, so messages carry no `id:`: a reconnecting
//! client gets the current checkpoints again, which is all it needs. The feed also follows
//! the hub's events, only to end when its caller is deactivated ([`super::revocation`]).

use std::collections::HashMap;

use axum::extract::State;
use axum::response::Response;
use tokio::sync::broadcast::error::RecvError;

use super::caps::FeedPlace;
use super::connection::{self, End, Queue};
use super::dto::{LiveErrors, ReadModelsQuery};
use super::feed::Viewer;
use super::frame::Frame;
use super::hub::CheckpointAdvance;
use super::metric;
use super::revocation::Revocation;
use super::routes::{live_queue, refuse_deactivated};
use crate::extract::Query;
use crate::{ApiError, AppState};

const FEED: &str = "read_models";

/// Read models' checkpoints, live.
///
/// Any signed-in user. Each message: `event: checkpoint`, `data:`
/// `{"model":"lessons","position":N}` — the model's data includes the log up to `N`.
/// First the current checkpoint of every read model, then each advance. Ends as the event
/// feeds do (without `resume_from`).
#[utoipa::path(
    get, path = "/v1/live/read-models", tag = "live",
    params(ReadModelsQuery),
    responses(
        (status = OK, description = "Server-Sent Events of checkpoint advances",
         content((CheckpointAdvance = "text/event-stream"))),
        LiveErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn read_models(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(_): Query<ReadModelsQuery>,
) -> Result<Response, ApiError> {
    // As for the event feeds: the head first, then the account check.
    let opened = eventstore::read::head(&state.pool).await?;
    refuse_deactivated(&state, &viewer).await?;
    let place = state.live.caps.admit(viewer.user.user_id, FEED)?;
    let heartbeat = state.config.live_heartbeat();
    let (tx, response) = connection::response(live_queue(&state), heartbeat);
    let revocation = Revocation::new(viewer.user.user_id, opened);
    tokio::spawn(pump(state, viewer, revocation, tx, place));
    Ok(response)
}

async fn pump(
    state: AppState,
    viewer: Viewer,
    revocation: Revocation,
    tx: Queue,
    place: FeedPlace,
) {
    let hub = state.live.clone();
    let deadline = connection::deadline(viewer.until);
    let end = tokio::select! {
        result = follow(&state, &revocation, &tx) => match result {
            Ok(end) => end,
            Err(error) => {
                tracing::warn!(%error, "the read-model feed could not read the checkpoints; it ends");
                End::Unavailable
            }
        },
        () = tokio::time::sleep_until(deadline) => End::Expired,
        () = hub.stopped() => End::Shutdown,
        () = tx.closed() => End::Gone,
    };
    connection::farewell(&tx, FEED, end, None, state.config.live_heartbeat()).await;
    drop(place);
}

async fn follow(state: &AppState, revocation: &Revocation, tx: &Queue) -> Result<End, sqlx::Error> {
    let mut advances = state.live.checkpoints().await?;
    let mut events = state.live.events().await?;
    if revocation.in_store(&state.pool).await? {
        return Ok(End::Revoked);
    }
    let mut known = HashMap::new();
    if !resend(state, tx, &mut known).await? {
        return Ok(End::Gone);
    }
    loop {
        let advance = tokio::select! {
            advance = advances.recv() => advance,
            event = events.recv() => match event {
                Ok(live) if revocation.by(&live.event) => return Ok(End::Revoked),
                Ok(_) => continue,
                // Events were missed: the store says whether one was the deactivation.
                Err(RecvError::Lagged(_)) if revocation.in_store(&state.pool).await? => {
                    return Ok(End::Revoked);
                }
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return Ok(End::Shutdown),
            },
        };
        match advance {
            Ok(advance) => {
                let newer = known
                    .get(&advance.model)
                    .is_none_or(|seen| *seen != advance.position);
                if newer {
                    known.insert(advance.model.clone(), advance.position);
                    if !send(tx, &advance).await {
                        return Ok(End::Gone);
                    }
                }
            }
            // Advances were missed: the checkpoints as they stand say it all.
            Err(RecvError::Lagged(_)) => {
                if !resend(state, tx, &mut known).await? {
                    return Ok(End::Gone);
                }
            }
            Err(RecvError::Closed) => return Ok(End::Shutdown),
        }
    }
}

/// Send every read model's checkpoint that differs from `known`.
async fn resend(
    state: &AppState,
    tx: &Queue,
    known: &mut HashMap<String, i64>,
) -> Result<bool, sqlx::Error> {
    for info in projections::catalog::read_models() {
        let name = format!("projection:{}", info.name);
        let position = eventstore::checkpoint::load(&state.pool, &name).await?;
        if known.get(info.name) == Some(&position) {
            continue;
        }
        known.insert(info.name.to_owned(), position);
        let advance = CheckpointAdvance {
            model: info.name.to_owned(),
            position,
        };
        if !send(tx, &advance).await {
            return Ok(false);
        }
    }
    Ok(true)
}

async fn send(tx: &Queue, advance: &CheckpointAdvance) -> bool {
    let data = serde_json::to_string(advance).unwrap_or_default();
    let sent = tx.send(Frame::new(None, "checkpoint", &data)).await.is_ok();
    if sent {
        metrics::counter!(metric::LIVE_MESSAGES, "feed" => FEED).increment(1);
    }
    sent
}
