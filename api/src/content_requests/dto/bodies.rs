//! The content request routes' request bodies. They deserialize straight into domain
//! value types and refuse unknown fields; what serde cannot check (bounds of JSON values,
//! which fields an agent step's status needs) is checked by the functions here, each
//! error naming its field.

use domain::values::JsonKind;
use domain::{
    AgentName, ContentPart, ContentParts, ContentRequestCommand, ContentRequestId, DurationMinutes,
    LearningObjectives, LessonContent, Reason, Theme, TokenUsage, ValueError,
};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa::openapi::schema::{ArrayBuilder, Object, ObjectBuilder, Type};

use crate::ApiError;

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
    // At most 1000 characters (`domain::Reason`). Text here, parsed by `into_command`: a
    // reason too long is answered with the domain's message alone, without the `reason: `
    // an error in a body field gets. (A plain comment: a doc comment would change the
    // OpenAPI document.)
    #[schema(max_length = 1000)]
    pub reason: Option<String>,
}

impl CancelContentRequest {
    /// The cancel command; a reason too long is the domain's `ValueError` naming `reason`.
    pub fn into_command(self) -> Result<ContentRequestCommand, ValueError> {
        let reason = self.reason.map(Reason::parse).transpose()?;
        Ok(ContentRequestCommand::Cancel { reason })
    }
}

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

/// An agent's result: the request is generated.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkGenerated {
    /// What the agents made, one member per part (`lesson_content`, `quiz`, `terrain`,
    /// `script`) in the shape the agent pipeline defines: a JSON object of at most 256 KiB
    /// (compact JSON).
    #[schema(value_type = Object,
             example = json!({ "quiz": { "questions": [{ "prompt": "What do plants need light for?" }] } }))]
    pub outputs: Value,
}

/// An agent's verdict: generation gave up.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkFailed {
    /// Why, for the requester: 1–2000 characters, trimmed.
    #[schema(
        min_length = 1,
        max_length = 2000,
        example = "the model refused every attempt"
    )]
    pub reason: String,
}

/// Longest reason of a failure (of a request or of a step).
pub const MAX_FAILURE_CHARS: usize = 2000;
/// Longest provider name of a step.
pub const MAX_PROVIDER_CHARS: usize = 100;
/// Longest model name of a step.
pub const MAX_MODEL_CHARS: usize = 200;

/// Where an agent step's attempt stands, as its worker reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// The attempt begins (`agent`, `attempt` only).
    Started,
    /// The attempt ended with an output (`output`, `duration_ms`, `provider`, `model`;
    /// `usage` when known).
    Completed,
    /// The attempt gave up (`reason`, `duration_ms`; `provider` when one was tried).
    Failed,
}

impl StepStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::Started => "started",
            Self::Completed => "completed",
            Self::Failed => "failed",
        }
    }
}

/// Tokens a model call used, as its provider reported them.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepUsage {
    pub input_tokens: u64,
    pub output_tokens: u64,
}

/// One record of an agent step: it started, completed or failed. Which fields are taken
/// depends on `status`; a field the status does not take is a 400 naming it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordStep {
    /// content, quiz, terrain, script or review.
    #[schema(schema_with = agent_schema)]
    pub agent: AgentName,
    /// 1 for the first attempt of the agent's step, then 2, 3, …
    #[schema(minimum = 1, example = 1)]
    pub attempt: u32,
    pub status: StepStatus,
    /// completed: what the attempt made (any JSON, at most 256 KiB compact).
    pub output: Option<Value>,
    /// completed, failed: how long the attempt took.
    #[schema(example = 1200)]
    pub duration_ms: Option<u64>,
    /// completed (required), failed (optional): who made the output, e.g. `openai`;
    /// 1–100 characters.
    #[schema(max_length = 100, example = "offline")]
    pub provider: Option<String>,
    /// completed: which model, e.g. `gpt-4o-mini`; 1–200 characters.
    #[schema(max_length = 200, example = "template-v1")]
    pub model: Option<String>,
    /// completed, when the provider reports it.
    pub usage: Option<StepUsage>,
    /// failed: why, 1–2000 characters.
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

impl RecordStep {
    /// The command this record asks for, or a 400 naming the first field that is missing,
    /// out of bounds, or not taken by the status.
    pub fn into_command(self) -> Result<ContentRequestCommand, ApiError> {
        if self.attempt == 0 {
            return Err(ApiError::invalid_field(
                "attempt",
                "attempt must be at least 1 (attempts are numbered 1, 2, …)",
            ));
        }
        let status = self.status;
        let (agent, attempt) = (self.agent, self.attempt);
        let allowed: &[&str] = match status {
            StepStatus::Started => &[],
            StepStatus::Completed => &["output", "duration_ms", "provider", "model", "usage"],
            StepStatus::Failed => &["duration_ms", "provider", "reason"],
        };
        for (field, given) in [
            ("output", self.output.is_some()),
            ("duration_ms", self.duration_ms.is_some()),
            ("provider", self.provider.is_some()),
            ("model", self.model.is_some()),
            ("usage", self.usage.is_some()),
            ("reason", self.reason.is_some()),
        ] {
            if given && !allowed.contains(&field) {
                return Err(ApiError::invalid_field(
                    field,
                    format!(
                        "{field} is not taken by a step that {} (it takes {})",
                        status.as_str(),
                        takes(allowed)
                    ),
                ));
            }
        }
        let required = |field: &str| {
            ApiError::invalid_field(
                field,
                format!("{field} is required for a step that {}", status.as_str()),
            )
        };
        Ok(match status {
            StepStatus::Started => ContentRequestCommand::StartStep { agent, attempt },
            StepStatus::Completed => ContentRequestCommand::CompleteStep {
                agent,
                attempt,
                output: bounded_json("output", self.output.ok_or_else(|| required("output"))?)?,
                duration_ms: self.duration_ms.ok_or_else(|| required("duration_ms"))?,
                provider: text(
                    "provider",
                    self.provider.ok_or_else(|| required("provider"))?,
                    MAX_PROVIDER_CHARS,
                )?,
                model: text(
                    "model",
                    self.model.ok_or_else(|| required("model"))?,
                    MAX_MODEL_CHARS,
                )?,
                usage: self.usage.map(|usage| TokenUsage {
                    input_tokens: usage.input_tokens,
                    output_tokens: usage.output_tokens,
                }),
            },
            StepStatus::Failed => ContentRequestCommand::FailStep {
                agent,
                attempt,
                reason: text(
                    "reason",
                    self.reason.ok_or_else(|| required("reason"))?,
                    MAX_FAILURE_CHARS,
                )?,
                duration_ms: self.duration_ms.ok_or_else(|| required("duration_ms"))?,
                provider: self
                    .provider
                    .map(|provider| text("provider", provider, MAX_PROVIDER_CHARS))
                    .transpose()?,
            },
        })
    }
}

fn takes(fields: &[&str]) -> String {
    if fields.is_empty() {
        "only agent, attempt and status".to_owned()
    } else {
        fields.join(", ")
    }
}

/// `raw`, trimmed, when it is 1–`max` characters; else a 400 naming `field`.
pub fn text(field: &str, raw: String, max: usize) -> Result<String, ApiError> {
    let trimmed = raw.trim();
    let chars = trimmed.chars().count();
    if (1..=max).contains(&chars) {
        Ok(trimmed.to_owned())
    } else {
        Err(ApiError::invalid_field(
            field,
            format!("{field} must be 1–{max} characters (got {chars})"),
        ))
    }
}

/// Any JSON of at most [`LessonContent::MAX_BYTES`] in its compact form (the bound a
/// lesson's content has, for the same reason: events stay small to append, relay and
/// project); else a 400 naming `field`.
pub fn bounded_json(field: &str, value: Value) -> Result<Value, ApiError> {
    let bytes = value.to_string().len();
    if bytes > LessonContent::MAX_BYTES {
        return Err(ApiError::invalid_field(
            field,
            format!(
                "{field} must be at most {} KiB as JSON (got {bytes} bytes)",
                LessonContent::MAX_BYTES / 1024
            ),
        ));
    }
    Ok(value)
}

/// A JSON object within [`bounded_json`]'s bound; else a 400 naming `field`.
pub fn bounded_object(field: &str, value: Value) -> Result<Value, ApiError> {
    if !value.is_object() {
        return Err(ApiError::invalid_field(
            field,
            format!(
                "{field} must be a JSON object (got {})",
                JsonKind::of(&value)
            ),
        ));
    }
    bounded_json(field, value)
}

/// One of the agents' names.
fn agent_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(AgentName::ALL.iter().map(|agent| agent.as_str())))
        .examples([serde_json::json!("quiz")])
        .build()
}
