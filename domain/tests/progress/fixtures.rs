//! A sample class with a student and a lesson, the proof built from it, and the events of
//! each step of the student's progress.

use domain::{
    Aggregate, Class, ClassEvent, ClassId, ClassName, Completion, EnrolledWithLesson, GradeLevel,
    LessonId, MaxStudents, ProgressCommand, ProgressEvent, Subject, UserId, Xp,
};
use uuid::Uuid;

pub fn class_id() -> ClassId {
    ClassId::new(Uuid::from_u128(0xc1a55))
}

pub fn student_id() -> UserId {
    UserId::new(Uuid::from_u128(0x5_0001))
}

pub fn other_student_id() -> UserId {
    UserId::new(Uuid::from_u128(0x5_0002))
}

pub fn lesson_id() -> LessonId {
    LessonId::new(Uuid::from_u128(0x1_0001))
}

pub fn other_lesson_id() -> LessonId {
    LessonId::new(Uuid::from_u128(0x1_0002))
}

pub fn completion(raw: i64) -> Completion {
    Completion::parse(raw).unwrap()
}

pub fn xp(raw: i64) -> Xp {
    Xp::parse(raw).unwrap()
}

pub fn class_created() -> ClassEvent {
    ClassEvent::ClassCreated {
        class_id: class_id(),
        name: ClassName::parse("7B Science").unwrap(),
        subject: Subject::parse("Science").unwrap(),
        grade_level: GradeLevel::parse(7).unwrap(),
        max_students: MaxStudents::parse(30).unwrap(),
        teacher_id: UserId::new(Uuid::from_u128(0x7e)),
    }
}

/// The class after its creation and then `later`.
pub fn class_after(later: Vec<ClassEvent>) -> Class {
    Class::replay(
        &std::iter::once(class_created())
            .chain(later)
            .collect::<Vec<_>>(),
    )
}

/// The sample student enrolled and the sample lesson assigned.
pub fn class_with_student_and_lesson() -> Class {
    class_after(vec![
        ClassEvent::StudentEnrolled {
            student_id: student_id(),
        },
        ClassEvent::LessonAssigned {
            lesson_id: lesson_id(),
        },
    ])
}

pub fn enrolled_with_lesson() -> EnrolledWithLesson {
    EnrolledWithLesson::check(&class_with_student_and_lesson(), student_id(), lesson_id()).unwrap()
}

pub fn start() -> ProgressCommand {
    ProgressCommand::Start {
        class: enrolled_with_lesson(),
    }
}

pub fn started() -> ProgressEvent {
    ProgressEvent::ProgressStarted {
        student_id: student_id(),
        lesson_id: lesson_id(),
        class_id: class_id(),
    }
}

pub fn record(percent: i64, earned: i64) -> ProgressCommand {
    ProgressCommand::Record {
        completion: completion(percent),
        xp_earned: xp(earned),
    }
}

pub fn recorded(percent: i64, earned: i64, total: u64) -> ProgressEvent {
    ProgressEvent::ProgressRecorded {
        completion: completion(percent),
        xp_earned: xp(earned),
        total_xp: total,
    }
}

pub fn completed(awarded: i64, total: u64) -> ProgressEvent {
    ProgressEvent::LessonCompleted {
        xp_awarded: xp(awarded),
        total_xp: total,
    }
}

pub fn history_started() -> Vec<ProgressEvent> {
    vec![started()]
}

/// Started, then 40% with 20 XP.
pub fn history_at_forty() -> Vec<ProgressEvent> {
    vec![started(), recorded(40, 20, 20)]
}

/// [`history_at_forty`], then completed with 100 XP.
pub fn history_completed() -> Vec<ProgressEvent> {
    vec![started(), recorded(40, 20, 20), completed(100, 120)]
}
