use domain::{ClassRejection, Ineligible, LessonStatus, Rejection, RejectionKind, Role};

use crate::fixtures::*;

#[test]
fn rejections_have_stable_rule_names_and_kinds() {
    let cases = [
        (
            ClassRejection::AlreadyExists,
            "class-already-exists",
            RejectionKind::AlreadyExists,
        ),
        (
            ClassRejection::NotFound,
            "class-not-found",
            RejectionKind::NotFound,
        ),
        (
            ClassRejection::Archived,
            "class-archived",
            RejectionKind::RuleViolated,
        ),
        (
            ClassRejection::AlreadyArchived,
            "class-already-archived",
            RejectionKind::RuleViolated,
        ),
        (
            ClassRejection::Full {
                max_students: max(30),
            },
            "class-is-full",
            RejectionKind::RuleViolated,
        ),
        (
            ClassRejection::StudentAlreadyEnrolled {
                student_id: student_id(1),
            },
            "student-already-enrolled",
            RejectionKind::RuleViolated,
        ),
        (
            ClassRejection::StudentNotEnrolled {
                student_id: student_id(1),
            },
            "student-not-enrolled",
            RejectionKind::RuleViolated,
        ),
        (
            ClassRejection::LessonAlreadyAssigned {
                lesson_id: lesson_id(1),
            },
            "lesson-already-assigned",
            RejectionKind::RuleViolated,
        ),
        (
            ClassRejection::LessonNotAssigned {
                lesson_id: lesson_id(1),
            },
            "lesson-not-assigned",
            RejectionKind::RuleViolated,
        ),
        (
            ClassRejection::NotAnActiveTeacher {
                reason: Ineligible::Deactivated,
            },
            "not-an-active-teacher",
            RejectionKind::RuleViolated,
        ),
        (
            ClassRejection::NotAnActiveStudent {
                reason: Ineligible::NotRegistered,
            },
            "not-an-active-student",
            RejectionKind::RuleViolated,
        ),
        (
            ClassRejection::LessonNotPublished {
                status: LessonStatus::Draft,
            },
            "lesson-not-published",
            RejectionKind::RuleViolated,
        ),
    ];
    for (rejection, rule, kind) in cases {
        assert_eq!(rejection.rule(), rule);
        assert_eq!(rejection.kind(), kind);
    }
}

#[test]
fn rejection_messages_name_what_is_wrong() {
    assert_eq!(
        ClassRejection::Full {
            max_students: max(30)
        }
        .to_string(),
        "the class is full (30 students)"
    );
    assert_eq!(
        ClassRejection::NotAnActiveTeacher {
            reason: Ineligible::HasRole(Role::Student)
        }
        .to_string(),
        "the teacher must be an active user with the teacher role: the user is a student"
    );
    assert_eq!(
        ClassRejection::LessonNotPublished {
            status: LessonStatus::InReview
        }
        .to_string(),
        "only published lessons can be assigned; the lesson is in review"
    );
}
