//! A sample lesson and the events of each step of its life.

use domain::{
    ContentRequestId, Description, GradeLevel, LessonCommand, LessonContent, LessonEvent, LessonId,
    Subject, Title, UserId,
};
use serde_json::json;
use uuid::Uuid;

pub fn lesson_id() -> LessonId {
    LessonId::new(Uuid::from_u128(0x0190_c8a2_7f3e_7b1a_9c4d_2e5f_6a7b_8c9d))
}

pub fn author() -> UserId {
    UserId::new(Uuid::from_u128(0xa1))
}

pub fn reviewer() -> UserId {
    UserId::new(Uuid::from_u128(0xb2))
}

pub fn content_request_id() -> ContentRequestId {
    ContentRequestId::new(Uuid::from_u128(0xc1))
}

pub fn generated_content_attached(request: ContentRequestId, text: &str) -> LessonEvent {
    LessonEvent::GeneratedContentAttached {
        content_request_id: request,
        content: content(json!({ "generated": text })),
    }
}

pub fn title(raw: &str) -> Title {
    Title::parse(raw).unwrap()
}

pub fn description(raw: &str) -> Description {
    Description::parse(raw).unwrap()
}

pub fn subject(raw: &str) -> Subject {
    Subject::parse(raw).unwrap()
}

pub fn grade(raw: i64) -> GradeLevel {
    GradeLevel::parse(raw).unwrap()
}

pub fn content(raw: serde_json::Value) -> LessonContent {
    LessonContent::parse(raw).unwrap()
}

pub fn draft() -> LessonCommand {
    LessonCommand::Draft {
        lesson_id: lesson_id(),
        title: title("Photosynthesis"),
        description: description("How plants make food from light."),
        subject: subject("Science"),
        grade_level: grade(7),
        content: content(json!({ "sections": [{ "heading": "Light" }] })),
        author: author(),
    }
}

pub fn drafted() -> LessonEvent {
    LessonEvent::LessonDrafted {
        lesson_id: lesson_id(),
        title: title("Photosynthesis"),
        description: description("How plants make food from light."),
        subject: subject("Science"),
        grade_level: grade(7),
        content: content(json!({ "sections": [{ "heading": "Light" }] })),
        author: author(),
    }
}

pub fn revise_nothing() -> LessonCommand {
    LessonCommand::Revise {
        title: None,
        description: None,
        subject: None,
        grade_level: None,
        content: None,
    }
}

pub fn revise_title(raw: &str) -> LessonCommand {
    LessonCommand::Revise {
        title: Some(title(raw)),
        description: None,
        subject: None,
        grade_level: None,
        content: None,
    }
}

pub fn revised_title(raw: &str) -> LessonEvent {
    LessonEvent::LessonRevised {
        title: Some(title(raw)),
        description: None,
        subject: None,
        grade_level: None,
        content: None,
    }
}

pub fn approved() -> LessonEvent {
    LessonEvent::LessonApproved {
        reviewer: reviewer(),
    }
}

pub fn archived() -> LessonEvent {
    LessonEvent::LessonArchived {
        reason: Some(domain::Reason::parse("outdated").unwrap()),
    }
}

/// The history of a lesson at each status, for rules that hold across statuses.
pub fn history_in_draft() -> Vec<LessonEvent> {
    vec![drafted()]
}

pub fn history_in_review() -> Vec<LessonEvent> {
    vec![drafted(), LessonEvent::LessonSubmittedForReview]
}

pub fn history_approved() -> Vec<LessonEvent> {
    vec![drafted(), LessonEvent::LessonSubmittedForReview, approved()]
}

pub fn history_published() -> Vec<LessonEvent> {
    vec![
        drafted(),
        LessonEvent::LessonSubmittedForReview,
        approved(),
        LessonEvent::LessonPublished,
    ]
}

pub fn history_archived() -> Vec<LessonEvent> {
    vec![drafted(), archived()]
}
