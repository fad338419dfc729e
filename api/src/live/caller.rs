//! Who opens a live feed: the holder of a bearer access token, or of a stream ticket
//! (`?ticket=`, from `POST /v1/live/tickets`) for clients that cannot send headers. A
//! ticket is good only for live feeds: for opening one within `LECTERN_LIVE_TICKET_TTL`
//! seconds, and for resuming one (a request with `Last-Event-ID`, which a reconnecting
//! `EventSource` sends with the same URL) until the access token it was issued for
//! expires. A feed ends when that access token expires, however it was opened. Access
//! tokens are never accepted in a URL.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use chrono::{DateTime, Utc};

use super::dto::StreamTicket;
use super::feed::Viewer;
use crate::auth::{Authenticated, Claims, bearer_claims};
use crate::extract::Json;
use crate::openapi::QueryErrors;
use crate::{ApiError, AppState};

impl FromRequestParts<AppState> for Viewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let resuming = parts.headers.contains_key("last-event-id");
        let claims = match ticket(parts) {
            Some(ticket) => state
                .tokens
                .verify_ticket(&ticket, resuming)
                .map_err(|error| ApiError::Unauthorized {
                    detail: format!("the stream ticket is not valid: {error}"),
                    token_presented: true,
                })?,
            None => bearer_claims(parts, &state.tokens)?,
        };
        Ok(Self {
            user: Authenticated::from(&claims),
            until: claims.until.unwrap_or(claims.exp),
        })
    }
}

/// The `ticket` query parameter, if any.
fn ticket(parts: &Parts) -> Option<String> {
    let query = parts.uri.query()?;
    form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == "ticket")
        .map(|(_, value)| value.into_owned())
}

/// The claims of the request's bearer access token.
pub struct Access(pub Claims);

impl FromRequestParts<AppState> for Access {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        bearer_claims(parts, &state.tokens).map(Self)
    }
}

/// A stream ticket for `EventSource` and other clients that cannot send headers.
///
/// Good for opening (and reopening) live feeds only, with `?ticket=`, for a short while
/// (`LECTERN_LIVE_TICKET_TTL`, 60 s by default); a feed opened with it ends when the access
/// token it was issued for expires. Any signed-in user.
#[utoipa::path(
    post, path = "/v1/live/tickets", tag = "live",
    responses(
        (status = OK, description = "A stream ticket", body = StreamTicket),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn issue(
    State(state): State<AppState>,
    Access(claims): Access,
) -> Result<Json<StreamTicket>, ApiError> {
    let ttl = state.config.live_ticket_ttl();
    let ticket = state
        .tokens
        .issue_ticket(&claims, ttl)
        .map_err(|error| ApiError::internal("signing a stream ticket", error))?;
    let now = crate::auth::token::unix_now();
    let feed_ends_at = DateTime::<Utc>::from_timestamp(claims.exp as i64, 0).unwrap_or_default();
    Ok(Json(StreamTicket {
        ticket,
        expires_in: ttl.as_secs().min(claims.exp.saturating_sub(now)),
        feed_ends_at,
    }))
}
