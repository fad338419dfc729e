//! `read.agent_performance_steps`: every agent step run for a content request, so that
//! [`by_agent`] can give runs, successes, failures and p50/p95 durations per agent kind
//! over any date range.
//!
//! The agent pipeline records a step as `AgentStepCompleted` or `AgentStepFailed` on the
//! content request's stream (category `content`), with a payload of at least
//! `{"agent": "<kind>", "duration_ms": <integer>}`. `domain::ContentRequestEvent` does not
//! carry those events yet, so they are read straight from the payload here; a step without
//! an agent is skipped (with a warning), one without a duration counts as a run with no
//! duration. One row per event (keyed by event id) also makes applying one twice harmless.

use chrono::{DateTime, Utc};
use eventstore::RecordedEvent;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::stream_uuid;
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
    duration_ms: Option<i64>,
    recorded_at: DateTime<Utc>,
}

fn step(recorded: &RecordedEvent) -> Option<Step> {
    let succeeded = match recorded.event_type.as_str() {
        AGENT_STEP_COMPLETED => true,
        AGENT_STEP_FAILED => false,
        _ => return None,
    };
    let Some(agent) = recorded.payload.get("agent").and_then(|a| a.as_str()) else {
        tracing::warn!(
            position = recorded.position,
            "agent step without an agent; not counted"
        );
        return None;
    };
    Some(Step {
        event_id: recorded.event_id,
        request_id: stream_uuid(recorded)?,
        agent: agent.to_owned(),
        succeeded,
        duration_ms: recorded.payload.get("duration_ms").and_then(|d| d.as_i64()),
        recorded_at: recorded.recorded_at,
    })
}

async fn apply(conn: &mut PgConnection, events: &[RecordedEvent]) -> Result<(), ProjectionError> {
    let steps: Vec<Step> = events.iter().filter_map(step).collect();
    if steps.is_empty() {
        return Ok(());
    }
    macro_rules! column {
        ($field:ident) => {
            steps.iter().map(|s| s.$field.clone()).collect::<Vec<_>>()
        };
    }
    sqlx::query(
        "INSERT INTO agent_performance_steps (event_id, request_id, agent, succeeded,
                                              duration_ms, recorded_at)
         SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::bool[], $5::bigint[],
                              $6::timestamptz[])
         ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(column!(event_id))
    .bind(column!(request_id))
    .bind(column!(agent))
    .bind(column!(succeeded))
    .bind(column!(duration_ms))
    .bind(column!(recorded_at))
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
    sqlx::query_as(
        "SELECT agent, count(*) AS runs,
                count(*) FILTER (WHERE succeeded) AS successes,
                count(*) FILTER (WHERE NOT succeeded) AS failures,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50_ms,
                percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95_ms
           FROM read.agent_performance_steps
          WHERE ($1::timestamptz IS NULL OR recorded_at >= $1)
            AND ($2::timestamptz IS NULL OR recorded_at < $2)
            AND ($3::text IS NULL OR agent = $3)
          GROUP BY agent
          ORDER BY agent",
    )
    .bind(filter.from)
    .bind(filter.to)
    .bind(&filter.agent)
    .fetch_all(pool)
    .await
}
