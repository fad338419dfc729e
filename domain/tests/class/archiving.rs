use domain::testing::given;
use domain::{Class, ClassCommand, ClassEvent, ClassRejection, ClassStatus};

use crate::fixtures::*;

#[test]
fn archiving_a_class_freezes_it_with_its_roster_and_lessons() {
    let class = given::<Class>(history_in_use())
        .when(ClassCommand::Archive)
        .then_expect_events(vec![ClassEvent::ClassArchived]);
    assert_eq!(class.status(), ClassStatus::Archived);
    assert!(class.is_archived());
    assert!(class.is_enrolled(student_id(1)));
    assert!(class.has_lesson(lesson_id(1)));
}

#[test]
fn archiving_an_empty_class_is_accepted() {
    given::<Class>(history_created())
        .when(ClassCommand::Archive)
        .then_expect_events(vec![ClassEvent::ClassArchived]);
}

#[test]
fn archiving_an_archived_class_is_rejected() {
    given::<Class>(history_archived())
        .when(ClassCommand::Archive)
        .then_expect_rejection(ClassRejection::AlreadyArchived);
}

#[test]
fn no_enrollment_or_assignment_is_accepted_after_archiving() {
    for command in [
        ClassCommand::Enroll {
            student: active_student(2),
        },
        ClassCommand::Unenroll {
            student_id: student_id(1),
        },
        ClassCommand::AssignLesson {
            lesson: published_lesson(2),
        },
        ClassCommand::UnassignLesson {
            lesson_id: lesson_id(1),
        },
    ] {
        given::<Class>(history_archived())
            .when(command)
            .then_expect_rejection("class-archived");
    }
}
