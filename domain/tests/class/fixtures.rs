//! A sample class, the users and lessons around it, and the events of each step of its
//! life. Proofs are built the only way they can be: from the other aggregate's state.

use domain::{
    ActiveStudent, ActiveTeacher, Aggregate, ClassCommand, ClassEvent, ClassId, ClassName,
    Description, DisplayName, Email, GradeLevel, Lesson, LessonContent, LessonEvent, LessonId,
    MaxStudents, PasswordHash, PublishedLesson, Role, Subject, Title, User, UserEvent, UserId,
    Username,
};
use uuid::Uuid;

pub fn class_id() -> ClassId {
    ClassId::new(Uuid::from_u128(0x0190_c8a2_7f3e_7b1a_9c4d_2e5f_6a7b_8c9d))
}

pub fn teacher_id() -> UserId {
    UserId::new(Uuid::from_u128(0x7e))
}

/// The `n`th sample student.
pub fn student_id(n: u128) -> UserId {
    UserId::new(Uuid::from_u128(0x5_0000 + n))
}

/// The `n`th sample lesson.
pub fn lesson_id(n: u128) -> LessonId {
    LessonId::new(Uuid::from_u128(0x1_0000 + n))
}

pub fn max(raw: i64) -> MaxStudents {
    MaxStudents::parse(raw).unwrap()
}

pub fn registered(id: UserId, role: Role) -> UserEvent {
    UserEvent::UserRegistered {
        user_id: id,
        username: Username::parse(format!("user-{}", id.as_uuid().as_u128())).unwrap(),
        email: Email::parse(format!("{}@example.org", id.as_uuid().as_u128())).unwrap(),
        display_name: DisplayName::parse("Sam").unwrap(),
        password_hash: PasswordHash::parse("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA").unwrap(),
        role,
    }
}

pub fn active_user(id: UserId, role: Role) -> User {
    User::replay(&[registered(id, role)])
}

pub fn deactivated_user(id: UserId, role: Role) -> User {
    User::replay(&[registered(id, role), UserEvent::UserDeactivated])
}

pub fn active_teacher() -> ActiveTeacher {
    ActiveTeacher::check(&active_user(teacher_id(), Role::Teacher)).unwrap()
}

pub fn active_student(n: u128) -> ActiveStudent {
    ActiveStudent::check(&active_user(student_id(n), Role::Student)).unwrap()
}

/// Lesson `n` after these events following its draft.
pub fn lesson_after(n: u128, later: Vec<LessonEvent>) -> Lesson {
    let drafted = LessonEvent::LessonDrafted {
        lesson_id: lesson_id(n),
        title: Title::parse("Photosynthesis").unwrap(),
        description: Description::empty(),
        subject: Subject::parse("Science").unwrap(),
        grade_level: GradeLevel::parse(7).unwrap(),
        content: LessonContent::empty(),
        author: teacher_id(),
    };
    Lesson::replay(&std::iter::once(drafted).chain(later).collect::<Vec<_>>())
}

pub fn published_lesson_state(n: u128) -> Lesson {
    lesson_after(
        n,
        vec![
            LessonEvent::LessonSubmittedForReview,
            LessonEvent::LessonApproved {
                reviewer: teacher_id(),
            },
            LessonEvent::LessonPublished,
        ],
    )
}

pub fn published_lesson(n: u128) -> PublishedLesson {
    PublishedLesson::check(&published_lesson_state(n)).unwrap()
}

pub fn create(max_students: i64) -> ClassCommand {
    ClassCommand::Create {
        class_id: class_id(),
        name: ClassName::parse("7B Science").unwrap(),
        subject: Subject::parse("Science").unwrap(),
        grade_level: GradeLevel::parse(7).unwrap(),
        max_students: max(max_students),
        teacher: active_teacher(),
    }
}

pub fn created(max_students: i64) -> ClassEvent {
    ClassEvent::ClassCreated {
        class_id: class_id(),
        name: ClassName::parse("7B Science").unwrap(),
        subject: Subject::parse("Science").unwrap(),
        grade_level: GradeLevel::parse(7).unwrap(),
        max_students: max(max_students),
        teacher_id: teacher_id(),
    }
}

pub fn enrolled(n: u128) -> ClassEvent {
    ClassEvent::StudentEnrolled {
        student_id: student_id(n),
    }
}

pub fn assigned(n: u128) -> ClassEvent {
    ClassEvent::LessonAssigned {
        lesson_id: lesson_id(n),
    }
}

/// A class of 30 seats, created and nothing else.
pub fn history_created() -> Vec<ClassEvent> {
    vec![created(30)]
}

/// A class of 30 seats with student 1 enrolled and lesson 1 assigned.
pub fn history_in_use() -> Vec<ClassEvent> {
    vec![created(30), enrolled(1), assigned(1)]
}

/// [`history_in_use`], then archived.
pub fn history_archived() -> Vec<ClassEvent> {
    vec![
        created(30),
        enrolled(1),
        assigned(1),
        ClassEvent::ClassArchived,
    ]
}
