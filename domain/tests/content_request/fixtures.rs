//! A sample lesson, a request for content for it, and the events of each step of the
//! request's life.

use domain::{
    Aggregate, ContentParts, ContentRequestCommand, ContentRequestEvent, ContentRequestId,
    Description, DurationMinutes, EditableLesson, GradeLevel, LearningObjectives, Lesson,
    LessonContent, LessonEvent, LessonId, Subject, Theme, Title, UserId,
};
use serde_json::{Value, json};
use uuid::Uuid;

pub fn request_id() -> ContentRequestId {
    ContentRequestId::new(Uuid::from_u128(0x0190_c8a2_7f3e_7b1a_9c4d_2e5f_6a7b_8c9d))
}

pub fn lesson_id() -> LessonId {
    LessonId::new(Uuid::from_u128(0x1e))
}

pub fn teacher_id() -> UserId {
    UserId::new(Uuid::from_u128(0x7e))
}

pub fn drafted() -> LessonEvent {
    LessonEvent::LessonDrafted {
        lesson_id: lesson_id(),
        title: Title::parse("Photosynthesis").unwrap(),
        description: Description::empty(),
        subject: Subject::parse("Science").unwrap(),
        grade_level: GradeLevel::parse(7).unwrap(),
        content: LessonContent::empty(),
        author: teacher_id(),
    }
}

/// The lesson after its draft and then `later`.
pub fn lesson_after(later: Vec<LessonEvent>) -> Lesson {
    Lesson::replay(&std::iter::once(drafted()).chain(later).collect::<Vec<_>>())
}

pub fn editable_lesson() -> EditableLesson {
    EditableLesson::check(&lesson_after(vec![])).unwrap()
}

pub fn objectives() -> LearningObjectives {
    LearningObjectives::parse([
        "Explain how light drives photosynthesis",
        "Name the inputs and outputs",
    ])
    .unwrap()
}

pub fn parts() -> ContentParts {
    ContentParts::parse_names(["lesson_content", "quiz"]).unwrap()
}

pub fn request(theme: Option<&str>) -> ContentRequestCommand {
    ContentRequestCommand::Request {
        request_id: request_id(),
        lesson: editable_lesson(),
        requested_by: teacher_id(),
        objectives: objectives(),
        duration_minutes: DurationMinutes::parse(45).unwrap(),
        parts: parts(),
        theme: theme.map(|raw| Theme::parse(raw).unwrap()),
    }
}

pub fn requested(theme: Option<&str>) -> ContentRequestEvent {
    ContentRequestEvent::ContentRequested {
        request_id: request_id(),
        lesson_id: lesson_id(),
        title: Title::parse("Photosynthesis").unwrap(),
        subject: Subject::parse("Science").unwrap(),
        grade_level: GradeLevel::parse(7).unwrap(),
        objectives: objectives(),
        duration_minutes: DurationMinutes::parse(45).unwrap(),
        parts: parts(),
        theme: theme.map(|raw| Theme::parse(raw).unwrap()),
        requested_by: teacher_id(),
    }
}

pub fn outputs() -> Value {
    json!({ "lesson_content": { "sections": [] }, "quiz": { "questions": [] } })
}

pub fn generated() -> ContentRequestEvent {
    ContentRequestEvent::ContentGenerated { outputs: outputs() }
}

pub fn failed() -> ContentRequestEvent {
    ContentRequestEvent::ContentGenerationFailed {
        reason: "every provider is down".to_owned(),
    }
}

pub fn cancelled() -> ContentRequestEvent {
    ContentRequestEvent::ContentRequestCancelled {
        reason: Some(domain::Reason::parse("not needed").unwrap()),
    }
}

pub fn history_requested() -> Vec<ContentRequestEvent> {
    vec![requested(Some("rainforest"))]
}

pub fn history_generated() -> Vec<ContentRequestEvent> {
    vec![requested(Some("rainforest")), generated()]
}

pub fn history_failed() -> Vec<ContentRequestEvent> {
    vec![requested(Some("rainforest")), failed()]
}

pub fn history_cancelled() -> Vec<ContentRequestEvent> {
    vec![requested(Some("rainforest")), cancelled()]
}
