//! The progress routes: a student's way through a lesson.
//!
//! | route | does | who |
//! |---|---|---|
//! | `POST /v1/progress/{lesson_id}/start` | start, from a class (201, `Location`) | the student |
//! | `POST /v1/progress/{lesson_id}` | record completion and XP | the student |
//! | `POST /v1/progress/{lesson_id}/complete` | complete, awarding XP once | the student |
//! | `GET /v1/progress` | the caller's progress (`lesson_id`, `class_id`, `status`, `cursor`, `limit`) | the student |
//! | `GET /v1/progress/{lesson_id}` | the caller's progress in a lesson | the student |
//! | `GET /v1/students/{id}/progress` | a student's progress (filters as above) | the student, linked parents, admin, analyst |
//!
//! The permission is `record:own_progress` (`domain::access`). The caller is always the
//! student: the stream is [`domain::ProgressId::for_student_lesson`] of the caller and the
//! lesson, so there is no way to name anyone else's progress. (Admins hold every
//! permission, but no class enrolls an admin, so their starts are refused
//! `student-not-enrolled`.) The rules of progress are `domain::Progress`'s; who reads
//! whose progress is `read`'s rule.

mod dto;
mod read;
mod write;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub use dto::{CompleteLesson, RecordProgress, StartLesson};
pub use dto::{ListProgress, ProgressList, ProgressView};
pub(crate) use read::may_see as may_see_progress;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(write::start))
        .routes(routes!(write::record, read::get))
        .routes(routes!(write::complete))
        .routes(routes!(read::mine))
        .routes(routes!(read::of_student))
}
