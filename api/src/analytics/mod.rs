//! The analytics routes: the aggregate read models of `projections::analytics`, for
//! dashboards and analysts.
//!
//! | route | does | who |
//! |---|---|---|
//! | `GET /v1/analytics/lesson-funnel` | per lesson: starts, completions, averages (`subject`, `grade`, `cursor`, `limit`) | analyst, admin |
//! | `GET /v1/analytics/lesson-funnel/by-subject-grade` | the same rolled up per subject and grade (`subject`, `grade`) | analyst, admin |
//! | `GET /v1/analytics/class-dashboard` | per class: students, starts, average completion, XP (`class_id`, `teacher_id`, `subject`, `grade`, `cursor`, `limit`) | analyst, admin; a teacher for their own classes |
//! | `GET /v1/analytics/daily-activity` | events per day, type, subject and grade (`from`, `to`, `subject`, `grade`, `event_type`) | analyst, admin |
//! | `GET /v1/analytics/agent-performance` | runs, failures, p50/p95 per agent kind (`from`, `to`, `agent`) | analyst, admin |
//!
//! Every route takes `?after=<position>` (read-your-writes against the model's own
//! checkpoint, [`crate::consistency`]) and answers with `Lectern-Position`. Unlike the
//! other queries, these refuse unknown query parameters (400 naming the parameter), so
//! `after` is one of each route's own parameters.
//!
//! Access ([`read`]): `read:read_models` (analysts, admins) sees everything. A teacher
//! (`manage:classes`) may read the class dashboard only: the rows are filtered to the
//! classes they teach (a `teacher_id` naming someone else is 403). Everyone else —
//! students, parents — gets 403.

mod dto;
mod read;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub use dto::{
    ActivityList, AgentList, AgentPerformanceView, ClassDashboardList, ClassDashboardView,
    DailyActivityView, LessonFunnelList, LessonFunnelView, SubjectGradeFunnelList,
    SubjectGradeFunnelView,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read::lesson_funnel))
        .routes(routes!(read::lesson_funnel_by_subject_grade))
        .routes(routes!(read::class_dashboard))
        .routes(routes!(read::daily_activity))
        .routes(routes!(read::agent_performance))
}
