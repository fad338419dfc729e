//! The analytics queries' parameters and responses. The parameters refuse unknown fields
//! and carry `after` themselves (see [`super`]); the responses are the read models' rows.

use chrono::{DateTime, NaiveDate, Utc};
use projections::analytics::agent_performance::AgentPerformanceRow;
use projections::analytics::class_dashboard::ClassDashboardRow;
use projections::analytics::daily_activity::DailyActivityRow;
use projections::analytics::lesson_funnel::{LessonFunnelRow, SubjectGradeFunnelRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The filters of `GET /v1/analytics/lesson-funnel`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListLessonFunnel {
    /// Exactly this subject.
    pub subject: Option<String>,
    /// Exactly this grade (1–12).
    #[param(minimum = 1, maximum = 12)]
    pub grade: Option<i32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
    /// Lessons per page, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// A log position (a command's `position`): answer only once the read model has
    /// applied the log up to it.
    #[param(minimum = 0)]
    pub after: Option<i64>,
}

/// The filters of `GET /v1/analytics/lesson-funnel/by-subject-grade`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListSubjectGradeFunnel {
    /// Exactly this subject.
    pub subject: Option<String>,
    /// Exactly this grade (1–12).
    #[param(minimum = 1, maximum = 12)]
    pub grade: Option<i32>,
    /// A log position: answer only once the read model has applied the log up to it.
    #[param(minimum = 0)]
    pub after: Option<i64>,
}

/// The filters of `GET /v1/analytics/class-dashboard`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListClassDashboard {
    /// Exactly this class.
    pub class_id: Option<Uuid>,
    /// The teacher's classes. A teacher reads only their own, whether or not they say so.
    pub teacher_id: Option<Uuid>,
    /// Exactly this subject.
    pub subject: Option<String>,
    /// Exactly this grade (1–12).
    #[param(minimum = 1, maximum = 12)]
    pub grade: Option<i32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
    /// Classes per page, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// A log position: answer only once the read model has applied the log up to it.
    #[param(minimum = 0)]
    pub after: Option<i64>,
}

/// The filters of `GET /v1/analytics/daily-activity`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListDailyActivity {
    /// First day included (UTC), `YYYY-MM-DD`.
    #[param(value_type = Option<String>, format = Date, example = "2026-01-31")]
    pub from: Option<String>,
    /// Last day included (UTC), `YYYY-MM-DD`; not before `from`.
    #[param(value_type = Option<String>, format = Date, example = "2026-02-28")]
    pub to: Option<String>,
    /// Exactly this subject (`""` is events of streams with no known subject).
    pub subject: Option<String>,
    /// Exactly this grade (1–12).
    #[param(minimum = 1, maximum = 12)]
    pub grade: Option<i32>,
    /// Exactly this event type, e.g. `ProgressRecorded`.
    pub event_type: Option<String>,
    /// A log position: answer only once the read model has applied the log up to it.
    #[param(minimum = 0)]
    pub after: Option<i64>,
}

/// The filters of `GET /v1/analytics/agent-performance`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListAgentPerformance {
    /// Steps recorded on or after this day (UTC), `YYYY-MM-DD`.
    #[param(value_type = Option<String>, format = Date, example = "2026-01-31")]
    pub from: Option<String>,
    /// Steps recorded on or before this day (UTC), `YYYY-MM-DD`; not before `from`.
    #[param(value_type = Option<String>, format = Date, example = "2026-02-28")]
    pub to: Option<String>,
    /// Exactly this agent kind.
    pub agent: Option<String>,
    /// A log position: answer only once the read model has applied the log up to it.
    #[param(minimum = 0)]
    pub after: Option<i64>,
}

/// One lesson's funnel.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LessonFunnelView {
    pub lesson_id: Uuid,
    pub subject: String,
    pub grade_level: i32,
    /// Students who started the lesson.
    pub started: i64,
    /// Students who completed it.
    pub completed: i64,
    /// Average completion of the starts, in percent; absent before any start.
    pub average_completion: Option<f64>,
    /// Average XP of the starts; absent before any start.
    pub average_xp: Option<f64>,
}

impl From<LessonFunnelRow> for LessonFunnelView {
    fn from(row: LessonFunnelRow) -> Self {
        Self {
            lesson_id: row.lesson_id,
            subject: row.subject,
            grade_level: row.grade_level,
            started: row.started,
            completed: row.completed,
            average_completion: row.average_completion,
            average_xp: row.average_xp,
        }
    }
}

/// One page of lesson funnels.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LessonFunnelList {
    pub lessons: Vec<LessonFunnelView>,
    /// Pass as `cursor` for the next page; absent when this page is not full (a full last
    /// page is followed by an empty one).
    pub next_cursor: Option<Uuid>,
}

/// A subject and grade's lessons, rolled up.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubjectGradeFunnelView {
    pub subject: String,
    pub grade_level: i32,
    pub lessons: i64,
    pub started: i64,
    pub completed: i64,
    /// Average completion over every start, in percent; absent before any start.
    pub average_completion: Option<f64>,
    /// Average XP over every start; absent before any start.
    pub average_xp: Option<f64>,
}

impl From<SubjectGradeFunnelRow> for SubjectGradeFunnelView {
    fn from(row: SubjectGradeFunnelRow) -> Self {
        Self {
            subject: row.subject,
            grade_level: row.grade_level,
            lessons: row.lessons,
            started: row.started,
            completed: row.completed,
            average_completion: row.average_completion,
            average_xp: row.average_xp,
        }
    }
}

/// The funnels per subject and grade, ordered by both.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubjectGradeFunnelList {
    pub groups: Vec<SubjectGradeFunnelView>,
}

/// One class's dashboard.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClassDashboardView {
    pub class_id: Uuid,
    pub subject: String,
    pub grade_level: i32,
    pub teacher_id: Uuid,
    /// Students enrolled now.
    pub students: i32,
    /// Lessons started from the class (one per student and lesson).
    pub started: i64,
    /// Average completion of those starts, in percent; absent before any start.
    pub average_completion: Option<f64>,
    /// Every XP earned and awarded in lessons started from the class.
    pub total_xp: i64,
    /// When a student of the class last made progress; absent before any.
    pub last_activity_at: Option<DateTime<Utc>>,
}

impl From<ClassDashboardRow> for ClassDashboardView {
    fn from(row: ClassDashboardRow) -> Self {
        Self {
            class_id: row.class_id,
            subject: row.subject,
            grade_level: row.grade_level,
            teacher_id: row.teacher_id,
            students: row.students,
            started: row.started,
            average_completion: row.average_completion,
            total_xp: row.total_xp,
            last_activity_at: row.last_activity_at,
        }
    }
}

/// One page of class dashboards.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClassDashboardList {
    pub classes: Vec<ClassDashboardView>,
    /// Pass as `cursor` for the next page; absent when this page is not full (a full last
    /// page is followed by an empty one).
    pub next_cursor: Option<Uuid>,
}

/// Events of one type on one day, for one subject and grade.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DailyActivityView {
    pub day: NaiveDate,
    pub event_type: String,
    /// Empty when unknown.
    pub subject: String,
    /// 0 when unknown.
    pub grade_level: i32,
    pub events: i64,
}

impl From<DailyActivityRow> for DailyActivityView {
    fn from(row: DailyActivityRow) -> Self {
        Self {
            day: row.day,
            event_type: row.event_type,
            subject: row.subject,
            grade_level: row.grade_level,
            events: row.events,
        }
    }
}

/// The daily counts, ordered by day, event type, subject and grade.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActivityList {
    pub activity: Vec<DailyActivityView>,
}

/// One agent kind's performance.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgentPerformanceView {
    pub agent: String,
    pub runs: i64,
    pub successes: i64,
    pub failures: i64,
    /// Median duration of the runs that reported one, in milliseconds.
    pub p50_ms: Option<f64>,
    /// 95th percentile duration (interpolated), in milliseconds.
    pub p95_ms: Option<f64>,
}

impl From<AgentPerformanceRow> for AgentPerformanceView {
    fn from(row: AgentPerformanceRow) -> Self {
        Self {
            agent: row.agent,
            runs: row.runs,
            successes: row.successes,
            failures: row.failures,
            p50_ms: row.p50_ms,
            p95_ms: row.p95_ms,
        }
    }
}

/// Per agent kind, ordered by kind.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgentList {
    pub agents: Vec<AgentPerformanceView>,
}
