//! Every read model by name, with the categories it reads: for checks that look at all of
//! them without running them (readiness: how far each is behind the log).

use crate::Projection;
use crate::analytics::agent_performance::AgentPerformance;
use crate::analytics::class_dashboard::ClassDashboard;
use crate::analytics::daily_activity::DailyActivity;
use crate::analytics::lesson_funnel::LessonFunnel;
use crate::classes::Classes;
use crate::content_requests::ContentRequests;
use crate::lessons::Lessons;
use crate::parent_links::ParentLinks;
use crate::student_progress::StudentProgress;
use crate::users::Users;

/// A read model's name (its checkpoint is `projection:<name>`) and the categories it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadModelInfo {
    pub name: &'static str,
    pub categories: &'static [&'static str],
}

fn info(projection: &impl Projection) -> ReadModelInfo {
    ReadModelInfo {
        name: projection.name(),
        categories: projection.categories(),
    }
}

/// Every read model Lectern runs.
pub fn read_models() -> [ReadModelInfo; 10] {
    [
        info(&Lessons),
        info(&Users),
        info(&Classes),
        info(&ContentRequests),
        info(&StudentProgress),
        info(&ParentLinks),
        info(&LessonFunnel),
        info(&AgentPerformance),
        info(&ClassDashboard),
        info(&DailyActivity),
    ]
}
