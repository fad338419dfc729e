//! The read models this binary runs, by name.
//!
//! [`projections::Projection`] is generic (its `apply` returns `impl Future`), so it cannot
//! be a trait object: the registry is an enum, and each method matches it to call the
//! generic code with the concrete projection. A new read model is one variant, one entry
//! in [`ReadModel::ALL`] and one arm per method.

use std::future::Future;

use bus::BusConfig;
use projections::analytics::agent_performance::AgentPerformance;
use projections::analytics::class_dashboard::ClassDashboard;
use projections::analytics::daily_activity::DailyActivity;
use projections::analytics::lesson_funnel::LessonFunnel;
use projections::classes::Classes;
use projections::content_requests::ContentRequests;
use projections::lessons::Lessons;
use projections::parent_links::ParentLinks;
use projections::student_progress::StudentProgress;
use projections::users::Users;
use projections::{Projection, ProjectionError, ProjectionWorker, Rebuilt};
use sqlx::PgPool;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadModel {
    /// `read.lessons`, the lesson catalog.
    Lessons,
    /// `read.users`, the accounts (no password hashes).
    Users,
    /// `read.classes` and `read.class_members`: classes, capacity, rosters.
    Classes,
    /// `read.content_requests`: requests for generated content, status and timings.
    ContentRequests,
    /// `read.student_progress`: each student's progress per lesson.
    StudentProgress,
    /// `read.parent_links`: parents and their linked children.
    ParentLinks,
    /// `read.lesson_funnel`: per lesson, started, completed, average completion and XP.
    LessonFunnel,
    /// `read.agent_performance_steps`: agent steps, for runs and durations per agent kind.
    AgentPerformance,
    /// `read.class_dashboard`: per class, students, completion, XP, last activity.
    ClassDashboard,
    /// `read.daily_activity`: events per day, event type, subject and grade.
    DailyActivity,
}

impl ReadModel {
    pub const ALL: &[ReadModel] = &[
        ReadModel::Lessons,
        ReadModel::Users,
        ReadModel::Classes,
        ReadModel::ContentRequests,
        ReadModel::StudentProgress,
        ReadModel::ParentLinks,
        ReadModel::LessonFunnel,
        ReadModel::AgentPerformance,
        ReadModel::ClassDashboard,
        ReadModel::DailyActivity,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Lessons => Lessons.name(),
            Self::Users => Users.name(),
            Self::Classes => Classes.name(),
            Self::ContentRequests => ContentRequests.name(),
            Self::StudentProgress => StudentProgress.name(),
            Self::ParentLinks => ParentLinks.name(),
            Self::LessonFunnel => LessonFunnel.name(),
            Self::AgentPerformance => AgentPerformance.name(),
            Self::ClassDashboard => ClassDashboard.name(),
            Self::DailyActivity => DailyActivity.name(),
        }
    }

    pub fn by_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|model| model.name() == name)
    }

    /// The known names, for error messages: `lessons, …`.
    pub fn names() -> String {
        let names: Vec<_> = Self::ALL.iter().map(|model| model.name()).collect();
        names.join(", ")
    }

    /// Rebuild into fresh tables and swap them in; `progress(done, total)` in log positions.
    pub async fn rebuild(
        self,
        pool: &PgPool,
        progress: impl FnMut(i64, i64),
    ) -> Result<Rebuilt, ProjectionError> {
        match self {
            Self::Lessons => projections::rebuild(pool, &Lessons, progress).await,
            Self::Users => projections::rebuild(pool, &Users, progress).await,
            Self::Classes => projections::rebuild(pool, &Classes, progress).await,
            Self::ContentRequests => projections::rebuild(pool, &ContentRequests, progress).await,
            Self::StudentProgress => projections::rebuild(pool, &StudentProgress, progress).await,
            Self::ParentLinks => projections::rebuild(pool, &ParentLinks, progress).await,
            Self::LessonFunnel => projections::rebuild(pool, &LessonFunnel, progress).await,
            Self::AgentPerformance => projections::rebuild(pool, &AgentPerformance, progress).await,
            Self::ClassDashboard => projections::rebuild(pool, &ClassDashboard, progress).await,
            Self::DailyActivity => projections::rebuild(pool, &DailyActivity, progress).await,
        }
    }

    /// The live worker: stands by for its leader lock, catches up, follows the bus until
    /// `shutdown`.
    pub async fn run_worker(
        self,
        pool: PgPool,
        nats: async_nats::Client,
        bus: BusConfig,
        shutdown: impl Future<Output = ()>,
    ) -> Result<(), ProjectionError> {
        match self {
            Self::Lessons => {
                ProjectionWorker::new(pool, nats, bus, Lessons)
                    .run(shutdown)
                    .await
            }
            Self::Users => {
                ProjectionWorker::new(pool, nats, bus, Users)
                    .run(shutdown)
                    .await
            }
            Self::Classes => {
                ProjectionWorker::new(pool, nats, bus, Classes)
                    .run(shutdown)
                    .await
            }
            Self::ContentRequests => {
                ProjectionWorker::new(pool, nats, bus, ContentRequests)
                    .run(shutdown)
                    .await
            }
            Self::StudentProgress => {
                ProjectionWorker::new(pool, nats, bus, StudentProgress)
                    .run(shutdown)
                    .await
            }
            Self::ParentLinks => {
                ProjectionWorker::new(pool, nats, bus, ParentLinks)
                    .run(shutdown)
                    .await
            }
            Self::LessonFunnel => {
                ProjectionWorker::new(pool, nats, bus, LessonFunnel)
                    .run(shutdown)
                    .await
            }
            Self::AgentPerformance => {
                ProjectionWorker::new(pool, nats, bus, AgentPerformance)
                    .run(shutdown)
                    .await
            }
            Self::ClassDashboard => {
                ProjectionWorker::new(pool, nats, bus, ClassDashboard)
                    .run(shutdown)
                    .await
            }
            Self::DailyActivity => {
                ProjectionWorker::new(pool, nats, bus, DailyActivity)
                    .run(shutdown)
                    .await
            }
        }
    }
}
