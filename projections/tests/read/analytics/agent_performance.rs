//! Agent performance, from agent steps recorded straight into the log in their stored
//! form, decoded as the domain's events.

use chrono::{Duration, Utc};
use domain::{AgentName, ContentRequestEvent, DomainEvent};
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
        ("content", true, 300),
        ("content", true, 100),
        ("content", false, 400),
        ("content", true, 200),
        ("quiz", false, 1000),
    ] {
        agent_step(&world, request, agent, succeeded, ms).await?;
    }
    // A step started is not a run until it ends: not counted.
    let started = ContentRequestEvent::AgentStepStarted {
        agent: AgentName::Quiz,
        attempt: 2,
    };
    world
        .lessons
        .store()
        .append(Append::new(
            StreamId::new("content", request)?,
            ExpectedVersion::Any,
            vec![NewEvent::new(started.event_type(), started.to_payload())],
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
            // Interpolated: 95 % of the way is 2.85 of 3 steps from 100 to 400.
            ("content", 4, 3, 1, Some(250.0), Some(385.0)),
            ("quiz", 1, 0, 1, Some(1000.0), Some(1000.0)),
        ]
    );

    let content = AgentPerformanceFilter {
        agent: Some("content".into()),
        ..Default::default()
    };
    assert_eq!(
        agent_performance::by_agent(pool, &content).await?,
        [all[0].clone()]
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
    for (i, agent) in ["content", "quiz", "terrain", "content", "quiz"]
        .iter()
        .enumerate()
    {
        agent_step(&world, request, agent, i % 3 != 0, 50 * i as u64).await?;
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
    agent_step(&world, request, "content", true, 120).await?;
    advance(&world, &AgentPerformance).await?;
    let before = table_rows(&world.db.pool, "agent_performance_steps", "event_id").await?;
    apply_again(&world, &AgentPerformance).await?;
    assert_eq!(
        table_rows(&world.db.pool, "agent_performance_steps", "event_id").await?,
        before
    );
    Ok(())
}

#[tokio::test]
async fn a_step_that_does_not_decode_stops_the_model_at_its_position() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    let Activity { request, .. } = some_activity(&school).await?;
    agent_step(&world, request, "quiz", true, 10).await?;
    let broken = world
        .lessons
        .store()
        .append(Append::new(
            StreamId::new("content", request)?,
            ExpectedVersion::Any,
            vec![NewEvent::new(
                "AgentStepCompleted",
                serde_json::json!({ "agent": "writer", "duration_ms": 5 }),
            )],
        ))
        .await?;

    let error = advance(&world, &AgentPerformance).await.unwrap_err();

    let error = error
        .downcast_ref::<projections::ProjectionError>()
        .expect("a projection error");
    assert!(
        matches!(
            error,
            projections::ProjectionError::Decode { position, .. } if *position == broken.last_position
        ),
        "{error}"
    );
    Ok(())
}
