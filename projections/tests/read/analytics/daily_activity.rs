//! Daily activity: events per day, event type, subject and grade.

use std::collections::BTreeMap;

use chrono::{Days, Utc};
use projections::analytics::daily_activity::{
    self, DailyActivity, DailyActivityFilter, DailyActivityRow,
};
use projections::rebuild;
use uuid::Uuid;

use super::{Activity, agent_step, all_rows, some_activity};
use crate::school::{School, advance, advance_in_steps};
use crate::world;

const TABLES: [(&str, &str); 2] = [
    ("daily_activity", "day, event_type, subject, grade_level"),
    ("daily_activity_streams", "stream_id"),
];

/// The counts summed over days (a test may run across midnight).
fn by_kind(rows: &[DailyActivityRow]) -> BTreeMap<(String, String, i32), i64> {
    let mut counts = BTreeMap::new();
    for row in rows {
        *counts
            .entry((row.event_type.clone(), row.subject.clone(), row.grade_level))
            .or_default() += row.events;
    }
    counts
}

#[tokio::test]
async fn events_are_counted_per_day_type_subject_and_grade() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    let Activity { request, .. } = some_activity(&school).await?;
    agent_step(&world, request, "content", true, 100).await?;
    // A step of a request the log has no start of: subject and grade unknown.
    agent_step(&world, Uuid::now_v7(), "content", true, 100).await?;
    advance(&world, &DailyActivity).await?;
    let pool = &world.db.pool;

    let rows = daily_activity::list(pool, &DailyActivityFilter::default()).await?;
    let (s7, a3) = (("Science", 7), ("Art", 3));
    let expected: BTreeMap<_, _> = [
        ("LessonDrafted", s7, 2),
        ("LessonDrafted", a3, 1),
        ("LessonDrafted", ("History", 5), 1),
        ("LessonRevised", ("Geography", 5), 1),
        ("LessonSubmittedForReview", s7, 2),
        ("LessonSubmittedForReview", a3, 1),
        ("LessonApproved", s7, 2),
        ("LessonApproved", a3, 1),
        ("LessonPublished", s7, 2),
        ("LessonPublished", a3, 1),
        ("ContentRequested", ("Geography", 5), 1),
        ("AgentStepCompleted", ("Geography", 5), 1),
        ("AgentStepCompleted", ("", 0), 1),
        ("ClassCreated", s7, 1),
        ("ClassCreated", a3, 1),
        ("StudentEnrolled", s7, 2),
        ("StudentEnrolled", a3, 2),
        ("StudentUnenrolled", a3, 1),
        ("LessonAssigned", s7, 2),
        ("LessonAssigned", a3, 2),
        // Progress counts under its lesson's subject, whichever class it was started from.
        ("ProgressStarted", s7, 4),
        ("ProgressStarted", a3, 1),
        ("ProgressRecorded", s7, 4),
        ("LessonCompleted", s7, 1),
        ("LessonCompleted", a3, 1),
    ]
    .into_iter()
    .map(|(kind, (subject, grade), n)| ((kind.to_owned(), subject.to_owned(), grade), n))
    .collect();
    assert_eq!(by_kind(&rows), expected);

    let art_enrollments = DailyActivityFilter {
        subject: Some("Art".into()),
        grade_level: Some(3),
        event_type: Some("StudentEnrolled".into()),
        ..Default::default()
    };
    let art = daily_activity::list(pool, &art_enrollments).await?;
    assert_eq!(art.iter().map(|r| r.events).sum::<i64>(), 2);
    let today = Utc::now().date_naive();
    let around_today = DailyActivityFilter {
        from: today.checked_sub_days(Days::new(1)),
        to: today.checked_add_days(Days::new(1)),
        ..Default::default()
    };
    assert_eq!(daily_activity::list(pool, &around_today).await?, rows);
    let tomorrow = DailyActivityFilter {
        from: today.checked_add_days(Days::new(1)),
        ..Default::default()
    };
    assert!(daily_activity::list(pool, &tomorrow).await?.is_empty());
    let before_yesterday = DailyActivityFilter {
        to: today.checked_sub_days(Days::new(2)),
        ..Default::default()
    };
    assert!(
        daily_activity::list(pool, &before_yesterday)
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
    agent_step(&world, request, "content", false, 100).await?;
    let head = advance_in_steps(&world, &DailyActivity, 2).await?;
    let live = all_rows(&world.db.pool, &TABLES).await?;
    assert!(!live[0].is_empty());
    // Lessons 4, classes 2, the request 1, progress 5.
    assert_eq!(live[1].len(), 12);

    let rebuilt = rebuild(&world.db.pool, &DailyActivity, |_, _| {}).await?;
    assert_eq!(rebuilt.position, head);
    assert_eq!(all_rows(&world.db.pool, &TABLES).await?, live);
    Ok(())
}
