use domain::testing::given;
use domain::{Class, ClassCommand, ClassEvent, ClassRejection};

use crate::fixtures::*;

fn unenroll(n: u128) -> ClassCommand {
    ClassCommand::Unenroll {
        student_id: student_id(n),
    }
}

#[test]
fn unenrolling_an_enrolled_student_frees_their_seat() {
    let class = given::<Class>(history_in_use())
        .when(unenroll(1))
        .then_expect_events(vec![ClassEvent::StudentUnenrolled {
            student_id: student_id(1),
        }]);
    assert!(!class.is_enrolled(student_id(1)));
    assert_eq!(class.details().unwrap().seats_left(), 30);
}

#[test]
fn unenrolling_a_student_who_is_not_enrolled_is_rejected() {
    given::<Class>(history_in_use())
        .when(unenroll(2))
        .then_expect_rejection(ClassRejection::StudentNotEnrolled {
            student_id: student_id(2),
        });
}

#[test]
fn unenrolling_a_student_twice_names_the_rule_student_not_enrolled() {
    let mut history = history_in_use();
    history.push(ClassEvent::StudentUnenrolled {
        student_id: student_id(1),
    });
    given::<Class>(history)
        .when(unenroll(1))
        .then_expect_rejection("student-not-enrolled");
}

#[test]
fn unenrolling_from_an_archived_class_is_rejected() {
    given::<Class>(history_archived())
        .when(unenroll(1))
        .then_expect_rejection(ClassRejection::Archived);
}
