use domain::testing::given;
use domain::{Class, ClassCommand, ClassEvent, ClassRejection};

use crate::fixtures::*;

fn assign(n: u128) -> ClassCommand {
    ClassCommand::AssignLesson {
        lesson: published_lesson(n),
    }
}

fn unassign(n: u128) -> ClassCommand {
    ClassCommand::UnassignLesson {
        lesson_id: lesson_id(n),
    }
}

#[test]
fn assigning_a_published_lesson_gives_the_class_the_lesson() {
    let class = given::<Class>(history_created())
        .when(assign(1))
        .then_expect_events(vec![assigned(1)]);
    assert!(class.has_lesson(lesson_id(1)));
}

#[test]
fn assigning_a_second_lesson_keeps_the_first() {
    let class = given::<Class>(history_in_use())
        .when(assign(2))
        .then_expect_events(vec![assigned(2)]);
    assert!(class.has_lesson(lesson_id(1)) && class.has_lesson(lesson_id(2)));
}

#[test]
fn assigning_a_lesson_that_is_already_assigned_is_rejected() {
    given::<Class>(history_in_use())
        .when(assign(1))
        .then_expect_rejection(ClassRejection::LessonAlreadyAssigned {
            lesson_id: lesson_id(1),
        });
}

#[test]
fn assigning_a_lesson_to_an_archived_class_is_rejected() {
    given::<Class>(history_archived())
        .when(assign(2))
        .then_expect_rejection("class-archived");
}

#[test]
fn unassigning_an_assigned_lesson_removes_it() {
    let class = given::<Class>(history_in_use())
        .when(unassign(1))
        .then_expect_events(vec![ClassEvent::LessonUnassigned {
            lesson_id: lesson_id(1),
        }]);
    assert!(!class.has_lesson(lesson_id(1)));
}

#[test]
fn unassigning_a_lesson_that_is_not_assigned_is_rejected() {
    given::<Class>(history_in_use())
        .when(unassign(2))
        .then_expect_rejection(ClassRejection::LessonNotAssigned {
            lesson_id: lesson_id(2),
        });
}

#[test]
fn unassigning_from_an_archived_class_is_rejected() {
    given::<Class>(history_archived())
        .when(unassign(1))
        .then_expect_rejection(ClassRejection::Archived);
}
