//! `POST /v1/audit/verify`: recompute the log's hash chain (`eventstore::audit::verify`)
//! and report whether it holds, or the first position where it breaks and how.
//!
//! The verify runs inside the request, synchronously. The app has no request timeout
//! (`app.rs` adds no timeout layer), so nothing cuts a long verify short: it reads one
//! snapshot in keyset pages (bounded memory) at the verifier's rate, and from an anchor
//! (`from`) only the events after that anchor. A client that gives up and disconnects
//! makes hyper drop the handler, which rolls the verify's read-only transaction back and
//! frees its connection. For logs too long to wait on over HTTP, `lectern audit verify`
//! runs the same verify against the database with a progress bar.

use axum::extract::State;
use eventstore::audit::{self, VerifyReport, VerifyStart};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::LogReader;
use crate::extract::{Json, OptionalJson};
use crate::openapi::QueryErrors;
use crate::{ApiError, AppState};

/// What to verify (the body is optional).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    /// Start at the nearest anchor at or below this position (its hash trusted as the
    /// chain's); absent: from the first event.
    #[schema(minimum = 0)]
    pub from: Option<i64>,
}

/// The outcome of a verify.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct VerifyResult {
    /// True when nothing broke.
    pub clean: bool,
    /// The first break, if any.
    pub broken: Option<ChainBreak>,
    /// The anchor the verify started from (absent: from the first event).
    pub anchor: Option<AnchorView>,
    /// Rows read (up to the break, if any), the unchained prefix included.
    pub checked: u64,
    /// Rows written before the chain existed: not verifiable, not tampering.
    pub unchained_prefix: u64,
    /// The first and last position read and found in order.
    pub first_position: Option<i64>,
    pub last_position: Option<i64>,
    /// Anchors passed whose hash matched the chain.
    pub anchors_checked: u64,
    /// The head of the snapshot verified, and its hash (64 hex digits).
    pub head_position: i64,
    pub head_hash: Option<String>,
    pub seconds: f64,
}

/// Where and how the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChainBreak {
    pub position: i64,
    /// `altered`, `missing`, `reordered` or `inserted`.
    pub kind: String,
    /// What was found, in words.
    pub detail: String,
}

/// An anchor: the chain's hash at a position, recorded when that event was appended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AnchorView {
    pub position: i64,
    /// 64 hex digits.
    pub hash: String,
}

impl From<VerifyReport> for VerifyResult {
    fn from(report: VerifyReport) -> Self {
        Self {
            clean: report.is_clean(),
            broken: report.broken.map(|broken| ChainBreak {
                position: broken.position,
                kind: broken.kind.to_string(),
                detail: broken.detail,
            }),
            anchor: match report.start {
                VerifyStart::Beginning => None,
                VerifyStart::Anchor { anchor } => Some(AnchorView {
                    position: anchor.position,
                    hash: anchor.hash.to_hex(),
                }),
            },
            checked: report.checked,
            unchained_prefix: report.unchained_prefix,
            first_position: report.first_position,
            last_position: report.last_position,
            anchors_checked: report.anchors_checked,
            head_position: report.head_position,
            head_hash: report.head_hash.map(|hash| hash.to_hex()),
            seconds: report.seconds,
        }
    }
}

/// The route of the verify, also where [`crate::limits`] exempts it from the request timeout.
pub const VERIFY_PATH: &str = "/v1/audit/verify";

/// Verify the log's hash chain.
///
/// Auditors and admins (`read:log`). Recomputes every event's link from what the table
/// holds and answers 200 with `clean: true`, or `clean: false` and the first break:
/// its position and kind (`altered`, `missing`, `reordered`, `inserted`). Runs within the
/// request (no request timeout applies).
#[utoipa::path(
    post, path = VERIFY_PATH, tag = "audit",
    request_body(content = Option<VerifyRequest>),
    responses(
        (status = OK, description = "The verify's report, clean or with the first break", body = VerifyResult),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn verify(
    State(state): State<AppState>,
    _: LogReader,
    OptionalJson(body): OptionalJson<VerifyRequest>,
) -> Result<Json<VerifyResult>, ApiError> {
    let from = body.unwrap_or_default().from;
    if let Some(from) = from
        && from < 0
    {
        return Err(ApiError::invalid_field(
            "from",
            format!("from must be a position, 0 or more (got {from})"),
        ));
    }
    let report = audit::verify(&state.pool, from, |_| {}).await?;
    if let Some(broken) = &report.broken {
        tracing::warn!(position = broken.position, kind = %broken.kind, detail = %broken.detail,
                       "the log's hash chain is broken");
    }
    Ok(Json(report.into()))
}
