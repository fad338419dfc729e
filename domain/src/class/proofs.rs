//! Proofs of facts about other aggregates that class commands depend on: the teacher is
//! an active teacher, the student an active student, the lesson published.
//!
//! A class cannot see other streams, so these facts cannot be rules inside `decide`.
//! Instead they are parsed, not validated: each proof has private fields and only one
//! way to be built, `check`, from the other aggregate's state. A command that holds one
//! therefore holds a fact that was true of that state.
//!
//! **Why this is correct enough, and what window remains.** The command runner loads the
//! other aggregate from the log (never from a read model, which may be behind) right
//! before deciding the class command, builds the proof, and appends. The fact can still
//! change between the check and the append: a student deactivated (or a lesson archived)
//! in that window of milliseconds is still enrolled (or assigned). That is acceptable: the
//! enrollment was valid when it was asked for, no invariant of the class depends on the
//! other aggregate staying as it was, and every later command re-checks (a progress start
//! re-reads the class; signing in re-reads the user). Closing the window would need a
//! transaction across streams, which this design deliberately avoids.

use super::{ClassRejection, Ineligible};
use crate::values::{LessonId, Role, UserId};
use crate::{Lesson, LessonStatus, User};

/// The account is registered, active, and has `role`; its id otherwise.
fn active_with_role(user: &User, role: Role) -> Result<UserId, Ineligible> {
    let details = user.details().ok_or(Ineligible::NotRegistered)?;
    if !details.active {
        return Err(Ineligible::Deactivated);
    }
    if details.role != role {
        return Err(Ineligible::HasRole(details.role));
    }
    Ok(details.id)
}

/// Proof that a user was an active account with the teacher role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActiveTeacher(UserId);

impl ActiveTeacher {
    /// Rule `not-an-active-teacher` otherwise.
    pub fn check(user: &User) -> Result<Self, ClassRejection> {
        active_with_role(user, Role::Teacher)
            .map(Self)
            .map_err(|reason| ClassRejection::NotAnActiveTeacher { reason })
    }

    pub fn id(&self) -> UserId {
        self.0
    }
}

/// Proof that a user was an active account with the student role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActiveStudent(UserId);

impl ActiveStudent {
    /// Rule `not-an-active-student` otherwise.
    pub fn check(user: &User) -> Result<Self, ClassRejection> {
        active_with_role(user, Role::Student)
            .map(Self)
            .map_err(|reason| ClassRejection::NotAnActiveStudent { reason })
    }

    pub fn id(&self) -> UserId {
        self.0
    }
}

/// Proof that a lesson was published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublishedLesson(LessonId);

impl PublishedLesson {
    /// Rule `lesson-not-published` otherwise (also for a lesson that was never drafted).
    pub fn check(lesson: &Lesson) -> Result<Self, ClassRejection> {
        match (lesson.status(), lesson.id()) {
            (LessonStatus::Published, Some(id)) => Ok(Self(id)),
            (status, _) => Err(ClassRejection::LessonNotPublished { status }),
        }
    }

    pub fn id(&self) -> LessonId {
        self.0
    }
}
