use domain::{
    ContentRequestRejection, EditableLesson, Lesson, LessonEvent, LessonStatus, Rejection,
    RejectionKind,
};

use crate::fixtures::*;

#[test]
fn an_editable_lesson_is_proven_from_a_draft_and_carries_what_agents_need() {
    let lesson = EditableLesson::check(&lesson_after(vec![])).unwrap();
    assert_eq!(lesson.id(), lesson_id());
    assert_eq!(lesson.title().as_str(), "Photosynthesis");
    assert_eq!(lesson.subject().as_str(), "Science");
    assert_eq!(lesson.grade_level().get(), 7);
}

#[test]
fn an_editable_lesson_is_proven_from_a_lesson_in_review() {
    assert!(
        EditableLesson::check(&lesson_after(vec![LessonEvent::LessonSubmittedForReview])).is_ok()
    );
}

#[test]
fn an_editable_lesson_carries_the_revised_title() {
    let lesson = EditableLesson::check(&lesson_after(vec![LessonEvent::LessonRevised {
        title: Some(domain::Title::parse("Plants and light").unwrap()),
        description: None,
        subject: None,
        grade_level: None,
        content: None,
    }]))
    .unwrap();
    assert_eq!(lesson.title().as_str(), "Plants and light");
}

#[test]
fn content_cannot_be_requested_for_a_lesson_that_does_not_exist() {
    let rejection = EditableLesson::check(&Lesson::default()).unwrap_err();
    assert_eq!(rejection, ContentRequestRejection::LessonNotFound);
    assert_eq!(rejection.rule(), "lesson-not-found");
    assert_eq!(rejection.kind(), RejectionKind::NotFound);
}

#[test]
fn content_cannot_be_requested_for_a_lesson_that_is_no_longer_editable() {
    let submitted = LessonEvent::LessonSubmittedForReview;
    let approved = LessonEvent::LessonApproved {
        reviewer: teacher_id(),
    };
    for (history, status) in [
        (
            vec![submitted.clone(), approved.clone()],
            LessonStatus::Approved,
        ),
        (
            vec![submitted, approved, LessonEvent::LessonPublished],
            LessonStatus::Published,
        ),
        (
            vec![LessonEvent::LessonArchived { reason: None }],
            LessonStatus::Archived,
        ),
    ] {
        let rejection = EditableLesson::check(&lesson_after(history)).unwrap_err();
        assert_eq!(
            rejection,
            ContentRequestRejection::LessonNotEditable { status }
        );
        assert_eq!(rejection.rule(), "lesson-not-editable");
    }
}
