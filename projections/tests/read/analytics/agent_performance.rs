//! Agent performance, from agent steps recorded straight into the log (the agents that
//! record them come in a later issue).

use chrono::{Duration, Utc};
use eventstore::{Append, ExpectedVersion, NewEvent, StreamId};
use projections::analytics::agent_performance::{self, AgentPerformance, AgentPerformanceFilter};
use projections::rebuild;

use super::{Activity, agent_step, all_rows, some_activity};
use crate::school::{School, advance, advance_in_steps, apply_again, table_rows};
use crate::world;

#[tokio::test]
async fn runs_successes_failures_and_percentiles_are_per_agent_kind() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    let Activity { request, .. } = some_activity(&school).await?;
    for (agent, succeeded, ms) in [
        ("writer", true, 300),
        ("writer", true, 100),
        ("writer", false, 400),
        ("writer", true, 200),
        ("quiz", false, 1000),
    ] {
        agent_step(&world, request, agent, succeeded, ms).await?;
    }
    // Not a step of any agent: not counted.
    world
        .lessons
        .store()
        .append(Append::new(
            StreamId::new("content", request)?,
            ExpectedVersion::Any,
            vec![NewEvent::new("AgentStepCompleted", serde_json::json!({}))],
        ))
        .await?;
    advance(&world, &AgentPerformance).await?;
    let pool = &world.db.pool;

    let all = agent_performance::by_agent(pool, &AgentPerformanceFilter::default()).await?;
    let figures: Vec<_> = all
        .iter()
        .map(|r| {
            (
                r.agent.as_str(),
                r.runs,
                r.successes,
                r.failures,
                r.p50_ms,
                r.p95_ms,
            )
        })
        .collect();
    assert_eq!(
        figures,
        [
            ("quiz", 1, 0, 1, Some(1000.0), Some(1000.0)),
            // Interpolated: 95 % of the way is 2.85 of 3 steps from 100 to 400.
            ("writer", 4, 3, 1, Some(250.0), Some(385.0)),
        ]
    );

    let writer = AgentPerformanceFilter {
        agent: Some("writer".into()),
        ..Default::default()
    };
    assert_eq!(
        agent_performance::by_agent(pool, &writer).await?,
        [all[1].clone()]
    );
    let hour = Duration::hours(1);
    let around_now = AgentPerformanceFilter {
        from: Some(Utc::now() - hour),
        to: Some(Utc::now() + hour),
        ..Default::default()
    };
    assert_eq!(agent_performance::by_agent(pool, &around_now).await?, all);
    let later = AgentPerformanceFilter {
        from: Some(Utc::now() + hour),
        ..Default::default()
    };
    assert!(agent_performance::by_agent(pool, &later).await?.is_empty());
    let earlier = AgentPerformanceFilter {
        to: Some(Utc::now() - hour),
        ..Default::default()
    };
    assert!(
        agent_performance::by_agent(pool, &earlier)
            .await?
            .is_empty()
    );
    Ok(())
}

#[tokio::test]
async fn a_rebuild_yields_the_same_rows_as_the_live_run() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    let Activity { request, .. } = some_activity(&school).await?;
    for (i, agent) in ["writer", "quiz", "terrain", "writer", "quiz"]
        .iter()
        .enumerate()
    {
        agent_step(&world, request, agent, i % 3 != 0, 50 * i as i64).await?;
    }
    let head = advance_in_steps(&world, &AgentPerformance, 2).await?;
    let tables = [("agent_performance_steps", "event_id")];
    let live = all_rows(&world.db.pool, &tables).await?;
    assert_eq!(live[0].len(), 5);

    let rebuilt = rebuild(&world.db.pool, &AgentPerformance, |_, _| {}).await?;
    assert_eq!(rebuilt.position, head);
    assert_eq!(all_rows(&world.db.pool, &tables).await?, live);
    Ok(())
}

#[tokio::test]
async fn applying_steps_again_counts_them_once() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    let Activity { request, .. } = some_activity(&school).await?;
    agent_step(&world, request, "writer", true, 120).await?;
    advance(&world, &AgentPerformance).await?;
    let before = table_rows(&world.db.pool, "agent_performance_steps", "event_id").await?;
    apply_again(&world, &AgentPerformance).await?;
    assert_eq!(
        table_rows(&world.db.pool, "agent_performance_steps", "event_id").await?,
        before
    );
    Ok(())
}
