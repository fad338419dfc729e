//! `read.daily_activity`: how many events of each type were recorded per UTC day, subject
//! and grade, over lessons, classes, content requests and progress.
//!
//! An event counts under the subject and grade of its stream, which this model keeps in
//! `daily_activity_streams`: a lesson's from its `LessonDrafted`/`LessonRevised` (after the
//! event), a class's from `ClassCreated`, a content request's from `ContentRequested`, a
//! progress stream's copied from its lesson when started. An event of a stream with none
//! (e.g. an agent step for a request whose start is not in the log) counts under subject
//! `''` and grade 0. A batch is folded in memory and written back with two statements.
//! Counters are exact under the runner (see [`crate::analytics`]).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use domain::{ClassEvent, ContentRequestEvent, LessonEvent, ProgressEvent};
use eventstore::{RecordedEvent, StreamId};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use super::decode;
use crate::{Projection, ProjectionError};

/// The daily activity projection.
#[derive(Debug, Clone, Copy, Default)]
pub struct DailyActivity;

impl Projection for DailyActivity {
    fn name(&self) -> &'static str {
        "daily_activity"
    }

    fn categories(&self) -> &'static [&'static str] {
        &["lesson", "progress", "class", "content"]
    }

    fn tables(&self) -> &'static [&'static str] {
        &["daily_activity", "daily_activity_streams"]
    }

    fn apply<'c>(
        &'c self,
        conn: &'c mut PgConnection,
        events: &'c [RecordedEvent],
    ) -> impl std::future::Future<Output = Result<(), ProjectionError>> + Send + 'c {
        apply(conn, events)
    }
}

/// A stream's subject and grade level.
type Facts = (String, i32);

/// What an event tells about its stream's subject and grade.
enum Learned {
    Nothing,
    Sets(Facts),
    Revises(Option<String>, Option<i32>),
    /// A progress stream takes its lesson's.
    CopiesFrom(String),
}

fn learned(recorded: &RecordedEvent) -> Result<Learned, ProjectionError> {
    Ok(match (recorded.category(), recorded.event_type.as_str()) {
        ("lesson", _) => match decode(recorded)? {
            LessonEvent::LessonDrafted {
                subject,
                grade_level,
                ..
            } => Learned::Sets((subject.as_str().to_owned(), i32::from(grade_level.get()))),
            LessonEvent::LessonRevised {
                subject,
                grade_level,
                ..
            } => Learned::Revises(
                subject.map(|s| s.as_str().to_owned()),
                grade_level.map(|g| i32::from(g.get())),
            ),
            _ => Learned::Nothing,
        },
        ("class", "ClassCreated") => match decode(recorded)? {
            ClassEvent::ClassCreated {
                subject,
                grade_level,
                ..
            } => Learned::Sets((subject.as_str().to_owned(), i32::from(grade_level.get()))),
            _ => Learned::Nothing,
        },
        // The other content events (the agents' steps and outputs) say nothing about it.
        ("content", "ContentRequested") => match decode(recorded)? {
            ContentRequestEvent::ContentRequested {
                subject,
                grade_level,
                ..
            } => Learned::Sets((subject.as_str().to_owned(), i32::from(grade_level.get()))),
            _ => Learned::Nothing,
        },
        ("progress", "ProgressStarted") => match decode(recorded)? {
            ProgressEvent::ProgressStarted { lesson_id, .. } => {
                match StreamId::new("lesson", lesson_id.as_uuid()) {
                    Ok(lesson) => Learned::CopiesFrom(lesson.as_str().to_owned()),
                    Err(_) => Learned::Nothing,
                }
            }
            _ => Learned::Nothing,
        },
        _ => Learned::Nothing,
    })
}

async fn apply(conn: &mut PgConnection, events: &[RecordedEvent]) -> Result<(), ProjectionError> {
    let learned: Vec<Learned> = events.iter().map(learned).collect::<Result<_, _>>()?;
    let mut wanted: HashSet<&str> = events.iter().map(|e| e.stream_id.as_str()).collect();
    for what in &learned {
        if let Learned::CopiesFrom(lesson) = what {
            wanted.insert(lesson);
        }
    }
    let wanted: Vec<&str> = wanted.into_iter().collect();
    let mut facts: HashMap<String, Facts> = sqlx::query!(
        "SELECT stream_id, subject, grade_level FROM daily_activity_streams
          WHERE stream_id = ANY($1)",
        &wanted as _
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|row| (row.stream_id, (row.subject, row.grade_level)))
    .collect();

    let mut changed: Vec<&str> = Vec::new();
    let mut counts: HashMap<(NaiveDate, &str, Facts), i64> = HashMap::new();
    for (recorded, what) in events.iter().zip(learned) {
        let stream = recorded.stream_id.as_str();
        let new = match what {
            Learned::Nothing => None,
            Learned::Sets(set) => Some(set),
            Learned::Revises(subject, grade) => {
                let (old_subject, old_grade) = facts.get(stream).cloned().unwrap_or_default();
                Some((subject.unwrap_or(old_subject), grade.unwrap_or(old_grade)))
            }
            Learned::CopiesFrom(lesson) => facts.get(&lesson).cloned(),
        };
        if let Some(new) = new {
            facts.insert(stream.to_owned(), new);
            if !changed.contains(&stream) {
                changed.push(stream);
            }
        }
        let key = facts.get(stream).cloned().unwrap_or_default();
        let day = recorded.recorded_at.date_naive();
        *counts
            .entry((day, recorded.event_type.as_str(), key))
            .or_default() += 1;
    }
    save_facts(conn, &changed, &facts).await?;
    save_counts(conn, counts).await?;
    Ok(())
}

async fn save_facts(
    conn: &mut PgConnection,
    changed: &[&str],
    facts: &HashMap<String, Facts>,
) -> Result<(), sqlx::Error> {
    let rows: Vec<(&str, &Facts)> = changed
        .iter()
        .filter_map(|stream| facts.get(*stream).map(|f| (*stream, f)))
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    sqlx::query!(
        "INSERT INTO daily_activity_streams (stream_id, subject, grade_level)
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::int[])
         ON CONFLICT (stream_id) DO UPDATE SET
            subject = EXCLUDED.subject, grade_level = EXCLUDED.grade_level",
        &rows.iter().map(|(s, _)| *s).collect::<Vec<_>>() as _,
        &rows.iter().map(|(_, f)| f.0.as_str()).collect::<Vec<_>>() as _,
        &rows.iter().map(|(_, f)| f.1).collect::<Vec<_>>()
    )
    .execute(conn)
    .await?;
    Ok(())
}

async fn save_counts(
    conn: &mut PgConnection,
    counts: HashMap<(NaiveDate, &str, Facts), i64>,
) -> Result<(), sqlx::Error> {
    if counts.is_empty() {
        return Ok(());
    }
    let (mut days, mut types, mut subjects, mut grades, mut events) =
        (vec![], vec![], vec![], vec![], vec![]);
    for ((day, event_type, (subject, grade)), count) in counts {
        days.push(day);
        types.push(event_type);
        subjects.push(subject);
        grades.push(grade);
        events.push(count);
    }
    sqlx::query!(
        "INSERT INTO daily_activity (day, event_type, subject, grade_level, events)
         SELECT * FROM UNNEST($1::date[], $2::text[], $3::text[], $4::int[], $5::bigint[])
         ON CONFLICT (day, event_type, subject, grade_level) DO UPDATE SET
            events = daily_activity.events + EXCLUDED.events",
        &days,
        &types as _,
        &subjects,
        &grades,
        &events
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Events of one type on one day, for one subject and grade.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct DailyActivityRow {
    pub day: NaiveDate,
    pub event_type: String,
    /// Empty when unknown.
    pub subject: String,
    /// 0 when unknown.
    pub grade_level: i32,
    pub events: i64,
}

/// Filters for [`list`]; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct DailyActivityFilter {
    /// First day included (UTC).
    pub from: Option<NaiveDate>,
    /// Last day included (UTC).
    pub to: Option<NaiveDate>,
    pub subject: Option<String>,
    pub grade_level: Option<i32>,
    pub event_type: Option<String>,
}

/// The counts, ordered by day, event type, subject and grade.
pub async fn list(
    pool: &PgPool,
    filter: &DailyActivityFilter,
) -> Result<Vec<DailyActivityRow>, sqlx::Error> {
    sqlx::query_as!(
        DailyActivityRow,
        "SELECT day, event_type, subject, grade_level, events
           FROM read.daily_activity
          WHERE ($1::date IS NULL OR day >= $1)
            AND ($2::date IS NULL OR day <= $2)
            AND ($3::text IS NULL OR subject = $3)
            AND ($4::int IS NULL OR grade_level = $4)
            AND ($5::text IS NULL OR event_type = $5)
          ORDER BY day, event_type, subject, grade_level",
        filter.from,
        filter.to,
        filter.subject.as_deref(),
        filter.grade_level,
        filter.event_type.as_deref()
    )
    .fetch_all(pool)
    .await
}
