use domain::{ClassEvent, EnrolledWithLesson, ProgressRejection, Rejection};

use crate::fixtures::*;

#[test]
fn an_enrolled_student_with_the_lesson_assigned_may_start_it() {
    let proof =
        EnrolledWithLesson::check(&class_with_student_and_lesson(), student_id(), lesson_id())
            .unwrap();
    assert_eq!(proof.class_id(), class_id());
    assert_eq!(proof.student_id(), student_id());
    assert_eq!(proof.lesson_id(), lesson_id());
}

#[test]
fn a_student_not_enrolled_cannot_start_a_lesson() {
    let rejection = EnrolledWithLesson::check(
        &class_with_student_and_lesson(),
        other_student_id(),
        lesson_id(),
    )
    .unwrap_err();
    assert_eq!(rejection, ProgressRejection::StudentNotEnrolled);
    assert_eq!(rejection.rule(), "student-not-enrolled");
}

#[test]
fn a_student_enrolled_in_a_class_without_the_lesson_cannot_start_it() {
    let rejection = EnrolledWithLesson::check(
        &class_with_student_and_lesson(),
        student_id(),
        other_lesson_id(),
    )
    .unwrap_err();
    assert_eq!(rejection, ProgressRejection::LessonNotAssignedToClass);
    assert_eq!(rejection.rule(), "lesson-not-assigned-to-class");
}

#[test]
fn a_student_unenrolled_from_the_class_cannot_start_its_lessons() {
    let class = class_after(vec![
        ClassEvent::StudentEnrolled {
            student_id: student_id(),
        },
        ClassEvent::LessonAssigned {
            lesson_id: lesson_id(),
        },
        ClassEvent::StudentUnenrolled {
            student_id: student_id(),
        },
    ]);
    assert_eq!(
        EnrolledWithLesson::check(&class, student_id(), lesson_id()),
        Err(ProgressRejection::StudentNotEnrolled)
    );
}

#[test]
fn a_lesson_unassigned_from_the_class_cannot_be_started() {
    let class = class_after(vec![
        ClassEvent::StudentEnrolled {
            student_id: student_id(),
        },
        ClassEvent::LessonAssigned {
            lesson_id: lesson_id(),
        },
        ClassEvent::LessonUnassigned {
            lesson_id: lesson_id(),
        },
    ]);
    assert_eq!(
        EnrolledWithLesson::check(&class, student_id(), lesson_id()),
        Err(ProgressRejection::LessonNotAssignedToClass)
    );
}

#[test]
fn a_class_that_does_not_exist_reads_as_not_enrolled() {
    assert_eq!(
        EnrolledWithLesson::check(&domain::Class::default(), student_id(), lesson_id()),
        Err(ProgressRejection::StudentNotEnrolled)
    );
}

#[test]
fn lessons_of_an_archived_class_cannot_be_started() {
    let class = class_after(vec![
        ClassEvent::StudentEnrolled {
            student_id: student_id(),
        },
        ClassEvent::LessonAssigned {
            lesson_id: lesson_id(),
        },
        ClassEvent::ClassArchived,
    ]);
    let rejection = EnrolledWithLesson::check(&class, student_id(), lesson_id()).unwrap_err();
    assert_eq!(rejection, ProgressRejection::ClassArchived);
    assert_eq!(rejection.rule(), "class-archived");
}

#[test]
fn a_student_not_enrolled_in_an_archived_class_is_told_only_that() {
    let class = class_after(vec![ClassEvent::ClassArchived]);
    assert_eq!(
        EnrolledWithLesson::check(&class, student_id(), lesson_id()),
        Err(ProgressRejection::StudentNotEnrolled)
    );
}
