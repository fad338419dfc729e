use domain::testing::given;
use domain::{Aggregate, Class, ClassCommand, ClassEvent, ClassRejection};

use crate::fixtures::*;

fn enroll(n: u128) -> ClassCommand {
    ClassCommand::Enroll {
        student: active_student(n),
    }
}

/// A class of `max_students` seats with students 1..=`taken` enrolled.
fn history_with(max_students: i64, taken: u128) -> Vec<ClassEvent> {
    std::iter::once(created(max_students))
        .chain((1..=taken).map(enrolled))
        .collect()
}

#[test]
fn enrolling_an_active_student_gives_them_a_seat() {
    let class = given::<Class>(history_created())
        .when(enroll(1))
        .then_expect_events(vec![enrolled(1)]);
    assert!(class.is_enrolled(student_id(1)));
    assert_eq!(class.enrolled_count(), 1);
    assert_eq!(class.details().unwrap().seats_left(), 29);
}

#[test]
fn enrolling_into_the_last_seat_is_accepted() {
    let class = given::<Class>(history_with(3, 2))
        .when(enroll(3))
        .then_expect_events(vec![enrolled(3)]);
    assert_eq!(class.details().unwrap().seats_left(), 0);
}

#[test]
fn enrolling_a_student_into_a_full_class_is_rejected() {
    given::<Class>(history_with(3, 3))
        .when(enroll(4))
        .then_expect_rejection(ClassRejection::Full {
            max_students: max(3),
        });
}

#[test]
fn enrolling_into_a_class_of_one_seat_that_is_taken_names_the_rule_class_is_full() {
    given::<Class>(history_with(1, 1))
        .when(enroll(2))
        .then_expect_rejection("class-is-full");
}

#[test]
fn a_seat_freed_by_an_unenrollment_can_be_taken() {
    let mut history = history_with(2, 2);
    history.push(ClassEvent::StudentUnenrolled {
        student_id: student_id(1),
    });
    given::<Class>(history)
        .when(enroll(3))
        .then_expect_events(vec![enrolled(3)]);
}

#[test]
fn the_second_of_two_racing_enrollments_for_the_last_seat_is_rejected_when_decided_again() {
    // Both decide on the same version; the store accepts the first append and reports a
    // conflict to the second, whose runner reloads and decides again on the new state.
    let state = Class::replay(&history_with(2, 1));
    let first = state.decide(&enroll(2)).unwrap();
    assert!(state.decide(&enroll(3)).is_ok(), "both see a free seat");
    let reloaded = first.iter().fold(state, |class, event| class.evolve(event));
    assert_eq!(
        reloaded.decide(&enroll(3)),
        Err(ClassRejection::Full {
            max_students: max(2)
        })
    );
}

#[test]
fn enrolling_a_student_who_is_already_enrolled_is_rejected() {
    given::<Class>(history_in_use())
        .when(enroll(1))
        .then_expect_rejection(ClassRejection::StudentAlreadyEnrolled {
            student_id: student_id(1),
        });
}

#[test]
fn enrolling_an_enrolled_student_into_a_full_class_names_the_enrollment_not_the_capacity() {
    given::<Class>(history_with(1, 1))
        .when(enroll(1))
        .then_expect_rejection("student-already-enrolled");
}

#[test]
fn enrolling_into_an_archived_class_is_rejected() {
    given::<Class>(history_archived())
        .when(enroll(2))
        .then_expect_rejection(ClassRejection::Archived);
}
