//! The class routes: a teacher's classes, their rosters, their lessons and the progress
//! made from them.
//!
//! | route | does | who |
//! |---|---|---|
//! | `POST /v1/classes` | create (201, `Location`) | a teacher for themself; an admin for any teacher |
//! | `POST /v1/classes/{id}/enrollments` | enroll a student | the class's teacher, admin |
//! | `DELETE /v1/classes/{id}/enrollments/{student_id}` | unenroll | the class's teacher, admin |
//! | `POST /v1/classes/{id}/lessons` | assign a published lesson | the class's teacher, admin |
//! | `DELETE /v1/classes/{id}/lessons/{lesson_id}` | unassign | the class's teacher, admin |
//! | `POST /v1/classes/{id}/archive` | archive | the class's teacher, admin |
//! | `GET /v1/classes` | list (`teacher_id`, `subject`, `grade`, `status`, `cursor`, `limit`) | teachers (their own), admin, analyst |
//! | `GET /v1/classes/{id}` | one class | its teacher, admin, analyst |
//! | `GET /v1/classes/{id}/students` | the roster (`cursor`, `limit`) | its teacher, admin, analyst |
//! | `GET /v1/classes/{id}/progress` | progress made from the class (`lesson_id`, `student_id`, `status`, …) | its teacher, admin, analyst |
//!
//! The permission of the commands is `manage:classes` (`domain::access`); whose class it
//! is, for commands and queries, is `access`'s rule; the rules of a class's life
//! (capacity, archived classes, published lessons) are `domain::Class`'s. Commands on one
//! class take turns in this process ([`ClassLanes`]).

mod access;
mod dto;
pub mod lanes;
mod read;
mod write;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use domain::{ClassId, LessonId, UserId};
use serde::de::DeserializeOwned;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::{ApiError, AppState};

pub(crate) use access::may_see as may_see_class;
pub use dto::{AssignLesson, CreateClass, EnrollStudent};
pub use dto::{ClassList, ClassProgress, ClassView, MemberView, Roster};
pub use lanes::ClassLanes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(write::create, read::list))
        .routes(routes!(read::get))
        .routes(routes!(read::roster))
        .routes(routes!(read::progress))
        .routes(routes!(write::enroll))
        .routes(routes!(write::unenroll))
        .routes(routes!(write::assign_lesson))
        .routes(routes!(write::unassign_lesson))
        .routes(routes!(write::archive))
}

/// The `{id}` of a class route; 400 naming `class_id` when it is not a UUID.
pub struct ClassPath(pub ClassId);

impl<S: Send + Sync> FromRequestParts<S> for ClassPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let raw: String = path(parts, state).await?;
        Ok(Self(ClassId::parse(&raw)?))
    }
}

/// `{id}/enrollments/{student_id}`: a class and one of its students.
pub struct EnrollmentPath(pub ClassId, pub UserId);

impl<S: Send + Sync> FromRequestParts<S> for EnrollmentPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let (class, student): (String, String) = path(parts, state).await?;
        Ok(Self(ClassId::parse(&class)?, UserId::parse(&student)?))
    }
}

/// `{id}/lessons/{lesson_id}`: a class and one of its lessons.
pub struct AssignmentPath(pub ClassId, pub LessonId);

impl<S: Send + Sync> FromRequestParts<S> for AssignmentPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let (class, lesson): (String, String) = path(parts, state).await?;
        Ok(Self(ClassId::parse(&class)?, LessonId::parse(&lesson)?))
    }
}

async fn path<T, S>(parts: &mut Parts, state: &S) -> Result<T, ApiError>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    let Path(raw) = Path::<T>::from_request_parts(parts, state)
        .await
        .map_err(|rejection| ApiError::Malformed(rejection.body_text()))?;
    Ok(raw)
}
