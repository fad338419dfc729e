//! Read-your-writes. A command answers with the log position of its last event; a query
//! given `?after=<position>` waits (at most `LECTERN_CONSISTENCY_WAIT_MS`, 5 s by default)
//! until its read model has applied the log that far, and answers 503 with `Retry-After`
//! when it has not. Every query response says how far its read model had applied the log,
//! in the `Lectern-Position` header, read before the query ran: what the response shows is
//! at least that fresh.

use std::time::Duration;

use axum::http::{HeaderName, HeaderValue};
use axum::response::{IntoResponseParts, ResponseParts};
use projections::Projection;
use serde::Deserialize;
use sqlx::PgPool;
use tokio::time::Instant;
use utoipa::IntoParams;

use crate::ApiError;

pub const POSITION_HEADER: HeaderName = HeaderName::from_static("lectern-position");

/// Longest pause between two looks at a read model's checkpoint.
const MAX_POLL: Duration = Duration::from_millis(50);

/// The consistency parameter of every query.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Consistency {
    /// A log position (a command's `position`): answer only once the read model has
    /// applied the log up to it.
    #[param(minimum = 0)]
    pub after: Option<i64>,
}

/// How far a read model had applied the log when a query ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadPosition(pub i64);

impl IntoResponseParts for ReadPosition {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, mut res: ResponseParts) -> Result<ResponseParts, Self::Error> {
        res.headers_mut()
            .insert(POSITION_HEADER, HeaderValue::from(self.0));
        Ok(res)
    }
}

/// Wait until `projection` has applied the log up to `consistency.after` (if given), at
/// most `wait`; then say how far it has.
pub async fn read_position<P: Projection>(
    pool: &PgPool,
    projection: &P,
    consistency: Consistency,
    wait: Duration,
) -> Result<ReadPosition, ApiError> {
    let deadline = Instant::now() + wait;
    let mut pause = Duration::from_millis(2);
    loop {
        let reached = projections::position(pool, projection).await?;
        let Some(after) = consistency.after else {
            return Ok(ReadPosition(reached));
        };
        if after < 0 {
            return Err(ApiError::invalid_field(
                "after",
                "after must be a log position (≥ 0)",
            ));
        }
        if reached >= after {
            return Ok(ReadPosition(reached));
        }
        if !has_pending(pool, projection, reached, after).await? {
            return Ok(ReadPosition(after));
        }
        if Instant::now() + pause > deadline {
            return Err(ApiError::NotYetConsistent { after, reached });
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(MAX_POLL);
    }
}

/// Are there events of the projection's categories in `(reached, after]`? When there are
/// none, the read model is as fresh as `after` already, e.g. for a position a command of
/// another aggregate returned. A position beyond the log's head is the client's mistake:
/// it would never be reached.
async fn has_pending<P: Projection>(
    pool: &PgPool,
    projection: &P,
    reached: i64,
    after: i64,
) -> Result<bool, ApiError> {
    let row = sqlx::query!(
        r#"SELECT (SELECT position FROM es.log_head) AS "head!",
                EXISTS (SELECT 1 FROM es.events
                         WHERE position > $1 AND position <= $2 AND category = ANY($3))
                  AS "pending!""#,
        reached,
        after,
        projection.categories() as &[&str],
    )
    .fetch_one(pool)
    .await?;
    let (head, pending) = (row.head, row.pending);
    if after > head {
        return Err(ApiError::invalid_field(
            "after",
            format!("position {after} is beyond the end of the log ({head})"),
        ));
    }
    Ok(pending)
}
