//! The event feeds' routes: check the caller, the resume point and the caps, then hand the
//! connection to its pump ([`super::feed`]).

use axum::extract::State;
use axum::http::{HeaderMap, HeaderName};
use axum::response::Response;
use domain::{Permission, Role};

use super::audience;
use super::connection;
use super::dto::{FeedQuery, LiveErrors, StreamFeedQuery};
use super::feed::{Pump, Scope, Spec, Viewer};
use crate::audit::{StreamPath, is_event_type, list};
use crate::extract::Query;
use crate::{ApiError, AppState};

/// The header a reconnecting `EventSource` sends: the last `id:` it received.
const LAST_EVENT_ID: HeaderName = HeaderName::from_static("last-event-id");

/// The whole log, live: every event as it commits, in position order.
///
/// Auditors and admins (`read:log`). Each message: `id:` the event's log position,
/// `event:` its type, `data:` the event as `GET /v1/log` shows it (`AuditEvent`). Resume
/// with `Last-Event-ID` (or `?from=`): every event after it, then live ones, none twice.
/// A feed ends with one last message (`lagged`, `expired`, `revoked`, `shutdown`,
/// `unavailable`; data `FeedEnd`) whose `id:` is where to resume. Idle, a comment
/// (`: heartbeat`) every 15 s.
#[utoipa::path(
    get, path = "/v1/live/log", tag = "live",
    params(FeedQuery,
           ("Last-Event-ID" = Option<i64>, Header, description = "Resume after this log position")),
    responses(
        (status = OK, description = "Server-Sent Events: one per event (`data:` an AuditEvent), and a last one (`data:` a FeedEnd) when the feed ends",
         content((crate::audit::AuditEvent = "text/event-stream"))),
        LiveErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn log(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Query(query): Query<FeedQuery>,
) -> Result<Response, ApiError> {
    viewer.user.require(Permission::ReadLog)?;
    let spec = Spec {
        scope: Scope::Log,
        types: list(query.types.as_deref(), "types", is_event_type)?,
        stream_prefix: query.stream_prefix,
    };
    open(&state, viewer, spec, &headers, query.from).await
}

/// One stream, live.
///
/// Auditors and admins any stream; others a stream whose aggregate the REST reads show
/// them (a lesson's stream: its author; a class's: its teacher; a content request's: its
/// requester; a progress stream: the student, their parents, the class's teacher; an
/// account's: its holder and parents), analysts and reviewers as those reads allow. Messages,
/// resuming and the end as for `/v1/live/log`; `from` is a log position.
#[utoipa::path(
    get, path = "/v1/live/streams/{stream_id}", tag = "live",
    params(("stream_id" = String, Path, description = "The stream, `<category>-<uuid>`", pattern = "^[a-z][a-z0-9_]{0,63}-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"),
           StreamFeedQuery,
           ("Last-Event-ID" = Option<i64>, Header, description = "Resume after this log position")),
    responses(
        (status = OK, description = "Server-Sent Events of the stream's events",
         content((crate::audit::AuditEvent = "text/event-stream"))),
        LiveErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn stream(
    State(state): State<AppState>,
    viewer: Viewer,
    StreamPath(stream): StreamPath,
    headers: HeaderMap,
    Query(query): Query<StreamFeedQuery>,
) -> Result<Response, ApiError> {
    let stream = stream.to_string();
    let stake = state.live.stakes.of(&state.pool, &stream).await?;
    let followed = match stake {
        Some(stake) => audience::may_follow(&state, &viewer.user, &stream, stake).await?,
        // A stream yet to begin: only those who may read every stream may wait for it.
        None => viewer.user.can(Permission::ReadStreams),
    };
    if !followed {
        return Err(ApiError::NotFound(format!(
            "there is no stream {stream} that you may follow"
        )));
    }
    let spec = Spec {
        scope: Scope::Stream(stream),
        types: list(query.types.as_deref(), "types", is_event_type)?,
        stream_prefix: None,
    };
    open(&state, viewer, spec, &headers, query.from).await
}

/// What concerns the caller, live.
///
/// A teacher: their lessons, their content requests (the agents' steps as they happen),
/// their classes and the progress made in them. A student: their progress and grades,
/// their enrollments. Everyone: their own account. Agents get 403: they follow the bus.
/// Messages, resuming and the end as for `/v1/live/log`.
#[utoipa::path(
    get, path = "/v1/live/me", tag = "live",
    params(FeedQuery,
           ("Last-Event-ID" = Option<i64>, Header, description = "Resume after this log position")),
    responses(
        (status = OK, description = "Server-Sent Events of the events that concern the caller",
         content((crate::audit::AuditEvent = "text/event-stream"))),
        LiveErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn me(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Query(query): Query<FeedQuery>,
) -> Result<Response, ApiError> {
    if viewer.user.role == Role::Agent {
        return Err(ApiError::Forbidden(
            "agents follow the bus (JetStream), not /v1/live/me".into(),
        ));
    }
    let spec = Spec {
        scope: Scope::Me,
        types: list(query.types.as_deref(), "types", is_event_type)?,
        stream_prefix: query.stream_prefix,
    };
    open(&state, viewer, spec, &headers, query.from).await
}

/// Start a feed's pump and answer with its event stream.
async fn open(
    state: &AppState,
    viewer: Viewer,
    spec: Spec,
    headers: &HeaderMap,
    from: Option<i64>,
) -> Result<Response, ApiError> {
    let requested = resume_point(headers, from)?;
    // The head is read before the account is found active, so a deactivation that
    // commits after the check lies past it, where the pump meets it.
    let head = eventstore::read::head(&state.pool).await?;
    refuse_deactivated(state, &viewer).await?;
    let after = match requested {
        Some(position) if position > head => {
            return Err(ApiError::invalid_field(
                "from",
                format!("position {position} is past the log's head ({head})"),
            ));
        }
        Some(position) => position,
        None => head,
    };
    let feed = match spec.scope {
        Scope::Log => "log",
        Scope::Stream(_) => "stream",
        Scope::Me => "me",
    };
    let place = state.live.caps.admit(viewer.user.user_id, feed)?;
    let heartbeat = state.config.live_heartbeat();
    let (tx, response) = connection::response(live_queue(state), heartbeat);
    let pump = Pump::new(state.live.clone(), viewer, spec, head, after, tx, heartbeat);
    tokio::spawn(pump.run(place));
    Ok(response)
}

pub(super) fn live_queue(state: &AppState) -> usize {
    usize::try_from(state.config.live_queue).unwrap_or(usize::MAX)
}

/// A deactivated account opens no feed (its open feeds end when the deactivation commits).
pub(super) async fn refuse_deactivated(state: &AppState, viewer: &Viewer) -> Result<(), ApiError> {
    let (_, account) = state.users.state(viewer.user.user_id).await?;
    if account.exists() && !account.is_active() {
        return Err(ApiError::Forbidden("the account is deactivated".into()));
    }
    Ok(())
}

/// `Last-Event-ID` if sent, else `?from=`; 400 unless it is a position (0 or more).
fn resume_point(headers: &HeaderMap, from: Option<i64>) -> Result<Option<i64>, ApiError> {
    if let Some(value) = headers.get(LAST_EVENT_ID) {
        let position = value
            .to_str()
            .ok()
            .and_then(|raw| raw.trim().parse::<i64>().ok())
            .filter(|position| *position >= 0)
            .ok_or_else(|| {
                ApiError::invalid_field(
                    "Last-Event-ID",
                    "Last-Event-ID must be a log position (0 or more)",
                )
            })?;
        return Ok(Some(position));
    }
    match from {
        Some(from) if from < 0 => Err(ApiError::invalid_field(
            "from",
            format!("from must be a log position, 0 or more (got {from})"),
        )),
        other => Ok(other),
    }
}
