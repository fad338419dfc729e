//! `read.lesson_funnel`: per lesson, how many students started and completed it, their
//! average completion and average XP; rolled up per subject and grade by [`by_subject_grade`].
//!
//! The lesson's subject and grade come from its own `LessonDrafted`/`LessonRevised` events
//! (kept in the row); each progress stream's lesson and what was last counted for it are
//! kept in `lesson_funnel_progress`, so a `ProgressRecorded` moves the sums by the
//! difference. Counters are exact under the runner (see [`crate::analytics`]).

use domain::{Completion, LessonEvent, ProgressEvent};
use eventstore::RecordedEvent;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{decode, stream_uuid, xp};
use crate::{Projection, ProjectionError};

/// The lesson funnel projection.
#[derive(Debug, Clone, Copy, Default)]
pub struct LessonFunnel;

impl Projection for LessonFunnel {
    fn name(&self) -> &'static str {
        "lesson_funnel"
    }

    fn categories(&self) -> &'static [&'static str] {
        &["lesson", "progress"]
    }

    fn tables(&self) -> &'static [&'static str] {
        &["lesson_funnel", "lesson_funnel_progress"]
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
            "lesson" => apply_lesson(conn, id, &decode(recorded)?).await?,
            "progress" => apply_progress(conn, id, &decode(recorded)?).await?,
            _ => {}
        }
    }
    Ok(())
}

async fn apply_lesson(
    conn: &mut PgConnection,
    lesson_id: Uuid,
    event: &LessonEvent,
) -> Result<(), sqlx::Error> {
    let (subject, grade_level) = match event {
        LessonEvent::LessonDrafted {
            subject,
            grade_level,
            ..
        } => (Some(subject), Some(grade_level)),
        LessonEvent::LessonRevised {
            subject,
            grade_level,
            ..
        } => (subject.as_ref(), grade_level.as_ref()),
        _ => return Ok(()),
    };
    sqlx::query!(
        "INSERT INTO lesson_funnel (lesson_id, subject, grade_level)
         VALUES ($1, coalesce($2, ''), coalesce($3, 0))
         ON CONFLICT (lesson_id) DO UPDATE SET
            subject = coalesce($2, lesson_funnel.subject),
            grade_level = coalesce($3, lesson_funnel.grade_level)",
        lesson_id,
        subject.map(|s| s.as_str().to_owned()),
        grade_level.map(|g| i32::from(g.get()))
    )
    .execute(conn)
    .await?;
    Ok(())
}

async fn apply_progress(
    conn: &mut PgConnection,
    progress_id: Uuid,
    event: &ProgressEvent,
) -> Result<(), sqlx::Error> {
    let (completion, total_xp, completed) = match event {
        ProgressEvent::ProgressStarted { lesson_id, .. } => {
            sqlx::query!(
                "WITH started AS (
                    INSERT INTO lesson_funnel_progress (progress_id, lesson_id, completion, total_xp)
                    VALUES ($1, $2, 0, 0) RETURNING lesson_id)
                 UPDATE lesson_funnel f SET started = started + 1
                   FROM started WHERE f.lesson_id = started.lesson_id",
                progress_id,
                lesson_id.as_uuid()
            )
            .execute(conn)
            .await?;
            return Ok(());
        }
        ProgressEvent::ProgressRecorded {
            completion,
            total_xp,
            ..
        } => (completion.get(), *total_xp, 0),
        ProgressEvent::LessonCompleted { total_xp, .. } => (Completion::FULL.get(), *total_xp, 1),
    };
    // The self-join reads the row as it was before this statement: the difference to add.
    sqlx::query!(
        "WITH moved AS (
            UPDATE lesson_funnel_progress p SET completion = $2, total_xp = $3
              FROM lesson_funnel_progress was
             WHERE p.progress_id = $1 AND was.progress_id = $1
            RETURNING p.lesson_id, $2 - was.completion AS completion, $3 - was.total_xp AS xp)
         UPDATE lesson_funnel f SET completion_sum = completion_sum + moved.completion,
                                    xp_sum = xp_sum + moved.xp,
                                    completed = completed + $4
           FROM moved WHERE f.lesson_id = moved.lesson_id",
        progress_id,
        i32::from(completion),
        xp(total_xp),
        completed
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// One lesson's funnel.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct LessonFunnelRow {
    pub lesson_id: Uuid,
    pub subject: String,
    pub grade_level: i32,
    /// Students who started the lesson.
    pub started: i64,
    /// Of those, how many completed it.
    pub completed: i64,
    /// Average completion of the starts, in percent; None before any start.
    pub average_completion: Option<f64>,
    /// Average XP of the starts; None before any start.
    pub average_xp: Option<f64>,
}

/// A subject and grade's lessons, rolled up.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct SubjectGradeFunnelRow {
    pub subject: String,
    pub grade_level: i32,
    pub lessons: i64,
    pub started: i64,
    pub completed: i64,
    /// Average completion over every start in these lessons; None before any start.
    pub average_completion: Option<f64>,
    /// Average XP over every start in these lessons; None before any start.
    pub average_xp: Option<f64>,
}

/// Filters for [`lessons`] and [`by_subject_grade`]; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct LessonFunnelFilter {
    pub subject: Option<String>,
    pub grade_level: Option<i32>,
    /// Only lessons with ids after this one (pages of [`lessons`], by lesson id).
    pub after: Option<Uuid>,
    /// 1–500; anything outside is clamped.
    pub limit: i64,
}

/// Lessons' funnels, ordered by lesson id.
pub async fn lessons(
    pool: &PgPool,
    filter: &LessonFunnelFilter,
) -> Result<Vec<LessonFunnelRow>, sqlx::Error> {
    sqlx::query_as!(
        LessonFunnelRow,
        "SELECT lesson_id, subject, grade_level, started, completed,
                completion_sum::float8 / nullif(started, 0) AS average_completion,
                xp_sum::float8 / nullif(started, 0) AS average_xp
           FROM read.lesson_funnel
          WHERE ($1::text IS NULL OR subject = $1)
            AND ($2::int IS NULL OR grade_level = $2)
            AND ($3::uuid IS NULL OR lesson_id > $3)
          ORDER BY lesson_id
          LIMIT $4",
        filter.subject.as_deref(),
        filter.grade_level,
        filter.after,
        filter.limit.clamp(1, 500)
    )
    .fetch_all(pool)
    .await
}

/// The funnels rolled up per subject and grade, ordered by both (`after` and `limit` do
/// not apply: there are at most a few hundred).
pub async fn by_subject_grade(
    pool: &PgPool,
    filter: &LessonFunnelFilter,
) -> Result<Vec<SubjectGradeFunnelRow>, sqlx::Error> {
    sqlx::query_as!(
        SubjectGradeFunnelRow,
        r#"SELECT subject, grade_level, count(*) AS "lessons!",
                  sum(started)::bigint AS "started!", sum(completed)::bigint AS "completed!",
                  sum(completion_sum)::float8 / nullif(sum(started), 0) AS average_completion,
                  sum(xp_sum)::float8 / nullif(sum(started), 0) AS average_xp
             FROM read.lesson_funnel
            WHERE ($1::text IS NULL OR subject = $1)
              AND ($2::int IS NULL OR grade_level = $2)
            GROUP BY subject, grade_level
            ORDER BY subject, grade_level"#,
        filter.subject.as_deref(),
        filter.grade_level
    )
    .fetch_all(pool)
    .await
}
