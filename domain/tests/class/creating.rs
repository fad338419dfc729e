use domain::testing::{given, given_no_events};
use domain::{Class, ClassCommand, ClassRejection, ClassStatus};

use crate::fixtures::*;

#[test]
fn creating_a_class_records_it_with_its_teacher_and_capacity() {
    let class = given_no_events::<Class>()
        .when(create(30))
        .then_expect_events(vec![created(30)]);
    assert_eq!(class.status(), ClassStatus::Active);
    assert_eq!(class.id(), Some(class_id()));
    assert_eq!(class.teacher_id(), Some(teacher_id()));
    let details = class.details().unwrap();
    assert_eq!(details.max_students, max(30));
    assert_eq!(details.seats_left(), 30);
    assert_eq!(class.enrolled_count(), 0);
}

#[test]
fn creating_a_class_that_already_exists_is_rejected() {
    for history in [history_created(), history_in_use(), history_archived()] {
        given::<Class>(history)
            .when(create(10))
            .then_expect_rejection(ClassRejection::AlreadyExists);
    }
}

#[test]
fn a_class_that_was_never_created_does_not_exist() {
    let class = given_no_events::<Class>();
    assert_eq!(class.state().status(), ClassStatus::None);
    assert!(!class.state().exists());
    assert_eq!(class.state().details(), None);
    assert_eq!(class.state().enrolled_count(), 0);
}

#[test]
fn every_command_but_a_creation_on_a_class_that_does_not_exist_is_rejected() {
    for command in [
        ClassCommand::Enroll {
            student: active_student(1),
        },
        ClassCommand::Unenroll {
            student_id: student_id(1),
        },
        ClassCommand::AssignLesson {
            lesson: published_lesson(1),
        },
        ClassCommand::UnassignLesson {
            lesson_id: lesson_id(1),
        },
        ClassCommand::Archive,
    ] {
        given::<Class>(vec![])
            .when(command)
            .then_expect_rejection("class-not-found");
    }
}
