//! Proof that content may be requested for a lesson, carrying what the agents need to
//! know about it.
//!
//! A request cannot see the lesson's stream, so the fact is parsed, not validated:
//! [`EditableLesson`] has private fields and is built only by [`EditableLesson::check`]
//! from the lesson's state. The command runner loads the lesson from the log (never from a
//! read model, which may be behind) right before deciding, so the title, subject and grade
//! the request records are the lesson's as of that moment.
//!
//! Why "editable" (a draft or in review): generated content can only be attached to such a
//! lesson, so a request for a published or archived lesson would make agents do work that
//! can never be used. The lesson may still move on while the agents work (a window of
//! minutes, not milliseconds); then attaching the result is refused by the lesson itself
//! (`lesson-not-editable`), which is the rule that matters.

use super::ContentRequestRejection;
use crate::values::{GradeLevel, LessonId, Subject, Title};
use crate::{Lesson, LessonStatus};

/// Proof that a lesson existed and was a draft or in review, with its id, title, subject
/// and grade level at that moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditableLesson {
    id: LessonId,
    title: Title,
    subject: Subject,
    grade_level: GradeLevel,
}

impl EditableLesson {
    /// Rule `lesson-not-found` for a lesson never drafted, `lesson-not-editable` for one
    /// that is approved, published or archived.
    pub fn check(lesson: &Lesson) -> Result<Self, ContentRequestRejection> {
        let details = lesson
            .details()
            .ok_or(ContentRequestRejection::LessonNotFound)?;
        let status: LessonStatus = lesson.status();
        if !status.is_editable() {
            return Err(ContentRequestRejection::LessonNotEditable { status });
        }
        Ok(Self {
            id: details.id,
            title: details.title.clone(),
            subject: details.subject.clone(),
            grade_level: details.grade_level,
        })
    }

    pub fn id(&self) -> LessonId {
        self.id
    }

    pub fn title(&self) -> &Title {
        &self.title
    }

    pub fn subject(&self) -> &Subject {
        &self.subject
    }

    pub fn grade_level(&self) -> GradeLevel {
        self.grade_level
    }
}
