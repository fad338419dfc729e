use domain::{
    ActiveStudent, ActiveTeacher, Aggregate, ClassRejection, Ineligible, Lesson, LessonEvent,
    LessonStatus, PublishedLesson, Rejection, Role, User, UserEvent,
};

use crate::fixtures::*;

#[test]
fn an_active_teacher_is_proven_from_an_active_account_with_the_teacher_role() {
    let teacher = ActiveTeacher::check(&active_user(teacher_id(), Role::Teacher)).unwrap();
    assert_eq!(teacher.id(), teacher_id());
}

#[test]
fn an_account_that_is_not_an_active_teacher_cannot_teach_a_class() {
    for (user, reason) in [
        (User::default(), Ineligible::NotRegistered),
        (
            deactivated_user(teacher_id(), Role::Teacher),
            Ineligible::Deactivated,
        ),
        (
            active_user(teacher_id(), Role::Student),
            Ineligible::HasRole(Role::Student),
        ),
        (
            active_user(teacher_id(), Role::Admin),
            Ineligible::HasRole(Role::Admin),
        ),
    ] {
        let rejection = ActiveTeacher::check(&user).unwrap_err();
        assert_eq!(rejection.rule(), "not-an-active-teacher");
        assert_eq!(rejection, ClassRejection::NotAnActiveTeacher { reason });
    }
}

#[test]
fn a_reactivated_teacher_is_active_again() {
    let user = User::replay(&[
        registered(teacher_id(), Role::Teacher),
        UserEvent::UserDeactivated,
        UserEvent::UserReactivated,
    ]);
    assert!(ActiveTeacher::check(&user).is_ok());
}

#[test]
fn an_active_student_is_proven_from_an_active_account_with_the_student_role() {
    let student = ActiveStudent::check(&active_user(student_id(1), Role::Student)).unwrap();
    assert_eq!(student.id(), student_id(1));
}

#[test]
fn an_account_that_is_not_an_active_student_cannot_be_enrolled() {
    for (user, reason) in [
        (User::default(), Ineligible::NotRegistered),
        (
            deactivated_user(student_id(1), Role::Student),
            Ineligible::Deactivated,
        ),
        (
            active_user(student_id(1), Role::Parent),
            Ineligible::HasRole(Role::Parent),
        ),
        (
            active_user(student_id(1), Role::Teacher),
            Ineligible::HasRole(Role::Teacher),
        ),
    ] {
        let rejection = ActiveStudent::check(&user).unwrap_err();
        assert_eq!(rejection.rule(), "not-an-active-student");
        assert_eq!(rejection, ClassRejection::NotAnActiveStudent { reason });
    }
}

#[test]
fn a_deactivated_student_is_rejected_with_a_message_that_says_why() {
    let rejection =
        ActiveStudent::check(&deactivated_user(student_id(1), Role::Student)).unwrap_err();
    assert_eq!(
        rejection.to_string(),
        "the student must be an active user with the student role: the user is deactivated"
    );
}

#[test]
fn a_published_lesson_is_proven_from_a_published_lesson() {
    let lesson = PublishedLesson::check(&published_lesson_state(1)).unwrap();
    assert_eq!(lesson.id(), lesson_id(1));
}

#[test]
fn a_lesson_that_is_not_published_cannot_be_assigned() {
    let submitted = LessonEvent::LessonSubmittedForReview;
    let approved = LessonEvent::LessonApproved {
        reviewer: teacher_id(),
    };
    let archived = LessonEvent::LessonArchived { reason: None };
    for (lesson, status) in [
        (Lesson::default(), LessonStatus::NotDrafted),
        (lesson_after(1, vec![]), LessonStatus::Draft),
        (
            lesson_after(1, vec![submitted.clone()]),
            LessonStatus::InReview,
        ),
        (
            lesson_after(1, vec![submitted.clone(), approved.clone()]),
            LessonStatus::Approved,
        ),
        (
            lesson_after(
                1,
                vec![submitted, approved, LessonEvent::LessonPublished, archived],
            ),
            LessonStatus::Archived,
        ),
    ] {
        let rejection = PublishedLesson::check(&lesson).unwrap_err();
        assert_eq!(rejection.rule(), "lesson-not-published");
        assert_eq!(rejection, ClassRejection::LessonNotPublished { status });
    }
}
