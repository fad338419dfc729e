use std::{collections::BTreeSet, fmt};

use serde::{Deserialize, Serialize};

use super::ClassEvent;
use crate::values::{ClassId, ClassName, GradeLevel, LessonId, MaxStudents, Subject, UserId};

/// Where a class is in its life. `None` is a class that was never created: its stream
/// is empty.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassStatus {
    #[default]
    None,
    Active,
    Archived,
}

impl ClassStatus {
    /// The snake_case name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Active => "active",
            Self::Archived => "archived",
        }
    }
}

impl fmt::Display for ClassStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::None => "not created",
            other => other.as_str(),
        })
    }
}

/// A class as its events left it.
///
/// The fields are private so that only events shape it: a class has details exactly when
/// its status is not [`ClassStatus::None`]. Serde is for snapshots of folded state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Class {
    status: ClassStatus,
    details: Option<ClassDetails>,
}

/// A created class: what it is, and who and what is in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassDetails {
    pub id: ClassId,
    pub name: ClassName,
    pub subject: Subject,
    pub grade_level: GradeLevel,
    pub max_students: MaxStudents,
    pub teacher_id: UserId,
    /// Never more than `max_students` of them.
    pub students: BTreeSet<UserId>,
    pub lessons: BTreeSet<LessonId>,
}

impl ClassDetails {
    /// Seats not taken yet.
    pub fn seats_left(&self) -> usize {
        usize::from(self.max_students.get()).saturating_sub(self.students.len())
    }
}

impl Class {
    pub fn status(&self) -> ClassStatus {
        self.status
    }

    pub fn exists(&self) -> bool {
        self.details.is_some()
    }

    pub fn is_archived(&self) -> bool {
        self.status == ClassStatus::Archived
    }

    /// `None` until the class is created.
    pub fn details(&self) -> Option<&ClassDetails> {
        self.details.as_ref()
    }

    pub fn id(&self) -> Option<ClassId> {
        self.details.as_ref().map(|d| d.id)
    }

    pub fn teacher_id(&self) -> Option<UserId> {
        self.details.as_ref().map(|d| d.teacher_id)
    }

    pub fn is_enrolled(&self, student_id: UserId) -> bool {
        self.details
            .as_ref()
            .is_some_and(|d| d.students.contains(&student_id))
    }

    pub fn has_lesson(&self, lesson_id: LessonId) -> bool {
        self.details
            .as_ref()
            .is_some_and(|d| d.lessons.contains(&lesson_id))
    }

    /// How many students are enrolled (0 for a class that does not exist).
    pub fn enrolled_count(&self) -> usize {
        self.details.as_ref().map_or(0, |d| d.students.len())
    }
}

pub(super) fn evolve(mut class: Class, event: &ClassEvent) -> Class {
    if let ClassEvent::ClassCreated {
        class_id,
        name,
        subject,
        grade_level,
        max_students,
        teacher_id,
    } = event
    {
        class.status = ClassStatus::Active;
        class.details = Some(ClassDetails {
            id: *class_id,
            name: name.clone(),
            subject: subject.clone(),
            grade_level: *grade_level,
            max_students: *max_students,
            teacher_id: *teacher_id,
            students: BTreeSet::new(),
            lessons: BTreeSet::new(),
        });
        return class;
    }
    // Every other event follows a creation; a stray one has nothing to change.
    let Some(details) = class.details.as_mut() else {
        return class;
    };
    match event {
        ClassEvent::ClassCreated { .. } => {}
        ClassEvent::StudentEnrolled { student_id } => {
            details.students.insert(*student_id);
        }
        ClassEvent::StudentUnenrolled { student_id } => {
            details.students.remove(student_id);
        }
        ClassEvent::LessonAssigned { lesson_id } => {
            details.lessons.insert(*lesson_id);
        }
        ClassEvent::LessonUnassigned { lesson_id } => {
            details.lessons.remove(lesson_id);
        }
        ClassEvent::ClassArchived => class.status = ClassStatus::Archived,
    }
    class
}
