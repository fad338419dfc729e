//! `read.agent_performance_steps`: every agent step run for a content request, so that
//! [`by_agent`] can give runs, successes, failures and p50/p95 durations per agent kind
//! over any date range.
//!
//! The agent pipeline records a step as `AgentStepCompleted` or `AgentStepFailed` on the
//! content request's stream (category `content`). Both are decoded as
//! `domain::ContentRequestEvent`s, so a payload stored in an older schema version is read
//! in its current shape like everywhere else; a step that does not decode stops the model
//! with [`ProjectionError::Decode`], as in every other read model, rather than being
//! counted wrong. Only those two event types are decoded (the others, with the agents'
//! outputs, are skipped unread). One row per event (keyed by event id) also makes
//! applying one twice harmless.

use chrono::{DateTime, Utc};
use domain::ContentRequestEvent;
use eventstore::RecordedEvent;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{decode, stream_uuid};
use crate::{Projection, ProjectionError};

/// The event of a step that succeeded.
pub const AGENT_STEP_COMPLETED: &str = "AgentStepCompleted";
/// The event of a step that failed.
pub const AGENT_STEP_FAILED: &str = "AgentStepFailed";

/// The agent performance projection.
#[derive(Debug, Clone, Copy, Default)]
pub struct AgentPerformance;

impl Projection for AgentPerformance {
    fn name(&self) -> &'static str {
        "agent_performance"
    }

    fn categories(&self) -> &'static [&'static str] {
        &["content"]
    }

    fn tables(&self) -> &'static [&'static str] {
        &["agent_performance_steps"]
    }

    fn apply<'c>(
        &'c self,
        conn: &'c mut PgConnection,
        events: &'c [RecordedEvent],
    ) -> impl std::future::Future<Output = Result<(), ProjectionError>> + Send + 'c {
        apply(conn, events)
    }
}

/// A step as its event tells it.
struct Step {
    event_id: Uuid,
    request_id: Uuid,
    agent: String,
    succeeded: bool,
    duration_ms: i64,
    recorded_at: DateTime<Utc>,
}

/// The step `recorded` tells of; None for any other event.
fn step(recorded: &RecordedEvent) -> Result<Option<Step>, ProjectionError> {
    if !matches!(
        recorded.event_type.as_str(),
        AGENT_STEP_COMPLETED | AGENT_STEP_FAILED
    ) {
        return Ok(None);
    }
    let (agent, succeeded, duration_ms) = match decode(recorded)? {
        ContentRequestEvent::AgentStepCompleted {
            agent, duration_ms, ..
        } => (agent, true, duration_ms),
        ContentRequestEvent::AgentStepFailed {
            agent, duration_ms, ..
        } => (agent, false, duration_ms),
        _ => return Ok(None),
    };
    // A content stream id always parses (the store checked it on append).
    let Some(request_id) = stream_uuid(recorded) else {
        return Ok(None);
    };
    Ok(Some(Step {
        event_id: recorded.event_id,
        request_id,
        agent: agent.as_str().to_owned(),
        succeeded,
        // Milliseconds in a u64 cannot come near i64::MAX in practice; saturate anyway.
        duration_ms: i64::try_from(duration_ms).unwrap_or(i64::MAX),
        recorded_at: recorded.recorded_at,
    }))
}

async fn apply(conn: &mut PgConnection, events: &[RecordedEvent]) -> Result<(), ProjectionError> {
    let mut steps = Vec::new();
    for recorded in events {
        steps.extend(step(recorded)?);
    }
    if steps.is_empty() {
        return Ok(());
    }
    macro_rules! column {
        ($field:ident) => {
            steps.iter().map(|s| s.$field.clone()).collect::<Vec<_>>()
        };
    }
    sqlx::query!(
        "INSERT INTO agent_performance_steps (event_id, request_id, agent, succeeded,
                                              duration_ms, recorded_at)
         SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::bool[], $5::bigint[],
                              $6::timestamptz[])
         ON CONFLICT (event_id) DO NOTHING",
        &column!(event_id),
        &column!(request_id),
        &column!(agent),
        &column!(succeeded),
        &column!(duration_ms),
        &column!(recorded_at)
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// One agent kind's performance.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct AgentPerformanceRow {
    pub agent: String,
    pub runs: i64,
    pub successes: i64,
    pub failures: i64,
    /// Median duration of the runs that reported one, in milliseconds.
    pub p50_ms: Option<f64>,
    /// 95th percentile duration (interpolated), in milliseconds.
    pub p95_ms: Option<f64>,
}

/// Filters for [`by_agent`]; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct AgentPerformanceFilter {
    /// Steps recorded at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Steps recorded before this instant.
    pub to: Option<DateTime<Utc>>,
    pub agent: Option<String>,
}

/// Per agent kind, ordered by kind; durations are of successful and failed runs alike.
pub async fn by_agent(
    pool: &PgPool,
    filter: &AgentPerformanceFilter,
) -> Result<Vec<AgentPerformanceRow>, sqlx::Error> {
    sqlx::query_as!(
        AgentPerformanceRow,
        r#"SELECT agent, count(*) AS "runs!",
                  count(*) FILTER (WHERE succeeded) AS "successes!",
                  count(*) FILTER (WHERE NOT succeeded) AS "failures!",
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50_ms,
                  percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95_ms
             FROM read.agent_performance_steps
            WHERE ($1::timestamptz IS NULL OR recorded_at >= $1)
              AND ($2::timestamptz IS NULL OR recorded_at < $2)
              AND ($3::text IS NULL OR agent = $3)
            GROUP BY agent
            ORDER BY agent"#,
        filter.from,
        filter.to,
        filter.agent.as_deref()
    )
    .fetch_all(pool)
    .await
}
