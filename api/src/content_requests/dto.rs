//! The content request routes' request bodies. They deserialize straight into domain
//! value types and refuse unknown fields.

use domain::{
    ContentPart, ContentParts, ContentRequestId, DurationMinutes, LearningObjectives, Theme,
};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa::openapi::schema::{ArrayBuilder, Object, ObjectBuilder, Type};

/// What the agents are to make for the lesson.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestContent {
    /// The request's id, when the client chooses it (a UUID); a fresh UUIDv7 otherwise.
    #[schema(value_type = Option<Uuid>)]
    pub content_request_id: Option<ContentRequestId>,
    /// What students should be able to do afterwards: 1–10 items of 3–300 characters.
    #[schema(value_type = Vec<String>, min_items = 1, max_items = 10,
             example = json!(["Explain how light drives photosynthesis"]))]
    pub objectives: LearningObjectives,
    /// How long the lesson should take in class: 5–180 minutes.
    #[schema(value_type = u16, minimum = 5, maximum = 180, example = 45)]
    pub duration_minutes: DurationMinutes,
    /// Which parts to make, at least one; a part named twice counts once.
    #[schema(schema_with = parts_schema)]
    pub parts: ContentParts,
    /// The setting (1–100 characters), e.g. `space station`; absent: the agents choose.
    #[schema(value_type = Option<String>, min_length = 1, max_length = 100)]
    pub theme: Option<Theme>,
}

/// Why a content request is cancelled (the body is optional).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelContentRequest {
    #[schema(max_length = 1000)]
    pub reason: Option<String>,
}

/// Longest cancellation reason accepted.
pub const MAX_REASON_CHARS: usize = 1000;

/// A non-empty array of content part names.
fn parts_schema() -> utoipa::openapi::schema::Array {
    let part: Object = ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(ContentPart::ALL.iter().map(|part| part.as_str())))
        .build();
    ArrayBuilder::new()
        .items(part)
        .min_items(Some(1))
        .examples([serde_json::json!(["lesson_content", "quiz"])])
        .build()
}
