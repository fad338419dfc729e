use domain::testing::{given, given_no_events};
use domain::{
    Description, Lesson, LessonCommand, LessonContent, LessonEvent, LessonRejection, LessonStatus,
};

use crate::fixtures::*;

#[test]
fn drafting_a_new_lesson_records_it_as_drafted() {
    let lesson = given::<Lesson>(vec![])
        .when(draft())
        .then_expect_events(vec![drafted()]);
    assert_eq!(lesson.status(), LessonStatus::Draft);
    assert_eq!(lesson.id(), Some(lesson_id()));
    assert_eq!(lesson.title(), Some(&title("Photosynthesis")));
    assert_eq!(lesson.author(), Some(author()));
}

#[test]
fn drafting_a_lesson_with_empty_description_and_content_is_accepted() {
    given_no_events::<Lesson>()
        .when(LessonCommand::Draft {
            lesson_id: lesson_id(),
            title: title("Fractions"),
            description: Description::empty(),
            subject: subject("Math"),
            grade_level: grade(1),
            content: LessonContent::empty(),
            author: author(),
        })
        .then_expect_events(vec![LessonEvent::LessonDrafted {
            lesson_id: lesson_id(),
            title: title("Fractions"),
            description: Description::empty(),
            subject: subject("Math"),
            grade_level: grade(1),
            content: LessonContent::empty(),
            author: author(),
        }]);
}

#[test]
fn drafting_a_lesson_that_already_exists_is_rejected() {
    given::<Lesson>(history_in_draft())
        .when(draft())
        .then_expect_rejection(LessonRejection::AlreadyExists);
}

#[test]
fn drafting_over_a_lesson_in_any_later_status_is_rejected() {
    for history in [
        history_in_review(),
        history_approved(),
        history_published(),
        history_archived(),
    ] {
        given::<Lesson>(history)
            .when(draft())
            .then_expect_rejection("lesson-already-exists");
    }
}

#[test]
fn a_lesson_that_was_never_drafted_does_not_exist() {
    let lesson = given_no_events::<Lesson>();
    assert_eq!(lesson.state().status(), LessonStatus::NotDrafted);
    assert!(!lesson.state().exists());
    assert_eq!(lesson.state().details(), None);
}

#[test]
fn every_command_but_a_draft_on_a_lesson_that_does_not_exist_is_rejected() {
    for command in [
        revise_title("Anything"),
        revise_nothing(),
        LessonCommand::SubmitForReview,
        LessonCommand::Approve {
            reviewer: reviewer(),
        },
        LessonCommand::Publish,
        LessonCommand::Archive { reason: None },
    ] {
        given::<Lesson>(vec![])
            .when(command)
            .then_expect_rejection(LessonRejection::NotFound);
    }
}
