use domain::testing::given;
use domain::{Lesson, LessonCommand, LessonEvent, LessonRejection, LessonStatus};

use crate::fixtures::*;

#[test]
fn archiving_a_lesson_in_any_live_status_archives_it() {
    for history in [
        history_in_draft(),
        history_in_review(),
        history_approved(),
        history_published(),
    ] {
        let lesson = given::<Lesson>(history)
            .when(LessonCommand::Archive {
                reason: Some(domain::Reason::parse("outdated").unwrap()),
            })
            .then_expect_events(vec![archived()]);
        assert_eq!(lesson.status(), LessonStatus::Archived);
    }
}

#[test]
fn archiving_without_a_reason_records_no_reason() {
    given::<Lesson>(history_published())
        .when(LessonCommand::Archive { reason: None })
        .then_expect_events(vec![LessonEvent::LessonArchived { reason: None }]);
}

#[test]
fn archiving_a_lesson_that_is_already_archived_is_rejected() {
    given::<Lesson>(history_archived())
        .when(LessonCommand::Archive { reason: None })
        .then_expect_rejection(LessonRejection::AlreadyArchived);
}

#[test]
fn an_archived_lesson_keeps_its_details() {
    let lesson = given::<Lesson>(history_archived());
    assert_eq!(lesson.state().title(), Some(&title("Photosynthesis")));
    assert_eq!(lesson.state().id(), Some(lesson_id()));
}
