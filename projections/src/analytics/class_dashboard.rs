//! `read.class_dashboard`: per class, the students enrolled now, the average completion
//! and total XP of the lessons started from it, and when a student last made progress.
//!
//! The class's subject, grade, teacher and enrollment count come from its own events; each
//! progress stream's class and what was last counted for it are kept in
//! `class_dashboard_progress`, so a `ProgressRecorded` moves the sums by the difference.
//! Counters are exact under the runner (see [`crate::analytics`]).

use chrono::{DateTime, Utc};
use domain::{ClassEvent, Completion, ProgressEvent};
use eventstore::RecordedEvent;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{decode, stream_uuid, xp};
use crate::{Projection, ProjectionError};

/// The class dashboard projection.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClassDashboard;

impl Projection for ClassDashboard {
    fn name(&self) -> &'static str {
        "class_dashboard"
    }

    fn categories(&self) -> &'static [&'static str] {
        &["class", "progress"]
    }

    fn tables(&self) -> &'static [&'static str] {
        &["class_dashboard", "class_dashboard_progress"]
    }

    fn apply<'c>(
        &'c self,
        conn: &'c mut PgConnection,
        events: &'c [RecordedEvent],
    ) -> impl std::future::Future<Output = Result<(), ProjectionError>> + Send + 'c {
        apply(conn, events)
    }
}

async fn apply(conn: &mut PgConnection, events: &[RecordedEvent]) -> Result<(), ProjectionError> {
    for recorded in events {
        let Some(id) = stream_uuid(recorded) else {
            continue;
        };
        match recorded.category() {
            "class" => apply_class(conn, id, &decode(recorded)?).await?,
            "progress" => apply_progress(conn, id, &decode(recorded)?, recorded).await?,
            _ => {}
        }
    }
    Ok(())
}

async fn apply_class(
    conn: &mut PgConnection,
    class_id: Uuid,
    event: &ClassEvent,
) -> Result<(), sqlx::Error> {
    let change = match event {
        ClassEvent::ClassCreated {
            subject,
            grade_level,
            teacher_id,
            ..
        } => {
            sqlx::query!(
                "INSERT INTO class_dashboard (class_id, subject, grade_level, teacher_id)
                 VALUES ($1, $2, $3, $4) ON CONFLICT (class_id) DO NOTHING",
                class_id,
                subject.as_str(),
                i32::from(grade_level.get()),
                teacher_id.as_uuid()
            )
            .execute(conn)
            .await?;
            return Ok(());
        }
        ClassEvent::StudentEnrolled { .. } => 1,
        ClassEvent::StudentUnenrolled { .. } => -1,
        _ => return Ok(()),
    };
    sqlx::query!(
        "UPDATE class_dashboard SET students = students + $2 WHERE class_id = $1",
        class_id,
        change
    )
    .execute(conn)
    .await?;
    Ok(())
}

async fn apply_progress(
    conn: &mut PgConnection,
    progress_id: Uuid,
    event: &ProgressEvent,
    recorded: &RecordedEvent,
) -> Result<(), sqlx::Error> {
    let at = recorded.recorded_at;
    let (completion, total_xp) = match event {
        ProgressEvent::ProgressStarted { class_id, .. } => {
            sqlx::query!(
                "WITH started AS (
                    INSERT INTO class_dashboard_progress (progress_id, class_id, completion, total_xp)
                    VALUES ($1, $2, 0, 0) RETURNING class_id)
                 UPDATE class_dashboard c SET started = started + 1, last_activity_at = $3
                   FROM started WHERE c.class_id = started.class_id",
                progress_id,
                class_id.as_uuid(),
                at
            )
            .execute(conn)
            .await?;
            return Ok(());
        }
        ProgressEvent::ProgressRecorded {
            completion,
            total_xp,
            ..
        } => (completion.get(), *total_xp),
        ProgressEvent::LessonCompleted { total_xp, .. } => (Completion::FULL.get(), *total_xp),
    };
    // The self-join reads the row as it was before this statement: the difference to add.
    sqlx::query!(
        "WITH moved AS (
            UPDATE class_dashboard_progress p SET completion = $2, total_xp = $3
              FROM class_dashboard_progress was
             WHERE p.progress_id = $1 AND was.progress_id = $1
            RETURNING p.class_id, $2 - was.completion AS completion, $3 - was.total_xp AS xp)
         UPDATE class_dashboard c SET completion_sum = completion_sum + moved.completion,
                                      total_xp = c.total_xp + moved.xp,
                                      last_activity_at = $4
           FROM moved WHERE c.class_id = moved.class_id",
        progress_id,
        i32::from(completion),
        xp(total_xp),
        at
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// One class's dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct ClassDashboardRow {
    pub class_id: Uuid,
    pub subject: String,
    pub grade_level: i32,
    pub teacher_id: Uuid,
    /// Students enrolled now.
    pub students: i32,
    /// Lessons started from the class (one per student and lesson).
    pub started: i64,
    /// Average completion of those starts, in percent; None before any start.
    pub average_completion: Option<f64>,
    /// Every XP earned and awarded in lessons started from the class.
    pub total_xp: i64,
    /// When a student of the class last made progress; None before any.
    pub last_activity_at: Option<DateTime<Utc>>,
}

/// Filters for [`list`]; `None` means any. Pages are ordered by class id, and `after` is
/// the last id of the previous page.
#[derive(Debug, Clone, Default)]
pub struct ClassDashboardFilter {
    pub class_id: Option<Uuid>,
    pub teacher_id: Option<Uuid>,
    pub subject: Option<String>,
    pub grade_level: Option<i32>,
    pub after: Option<Uuid>,
    /// 1–500; anything outside is clamped.
    pub limit: i64,
}

pub async fn list(
    pool: &PgPool,
    filter: &ClassDashboardFilter,
) -> Result<Vec<ClassDashboardRow>, sqlx::Error> {
    sqlx::query_as!(
        ClassDashboardRow,
        "SELECT class_id, subject, grade_level, teacher_id, students, started,
                completion_sum::float8 / nullif(started, 0) AS average_completion,
                total_xp, last_activity_at
           FROM read.class_dashboard
          WHERE ($1::uuid IS NULL OR class_id = $1)
            AND ($2::uuid IS NULL OR teacher_id = $2)
            AND ($3::text IS NULL OR subject = $3)
            AND ($4::int IS NULL OR grade_level = $4)
            AND ($5::uuid IS NULL OR class_id > $5)
          ORDER BY class_id
          LIMIT $6",
        filter.class_id,
        filter.teacher_id,
        filter.subject.as_deref(),
        filter.grade_level,
        filter.after,
        filter.limit.clamp(1, 500)
    )
    .fetch_all(pool)
    .await
}
