//! Value types: raw input is parsed into them once, at the edge, so anything that holds
//! one holds a valid value. Each deserializes through its `parse`, so a payload or request
//! body can never smuggle in an invalid value either.

use std::fmt;

/// The shared conversions of a text value type whose `parse` takes `impl AsRef<str>`.
macro_rules! text_value {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::values::ValueError;

            fn try_from(raw: String) -> Result<Self, Self::Error> {
                Self::parse(raw)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::values::ValueError;

            fn try_from(raw: &str) -> Result<Self, Self::Error> {
                Self::parse(raw)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::values::ValueError;

            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                Self::parse(raw)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }
    };
}

mod description;
mod grade_level;
mod ids;
mod lesson_content;
mod subject;
mod title;

pub use description::Description;
pub use grade_level::GradeLevel;
pub use ids::{LessonId, UserId};
pub use lesson_content::LessonContent;
pub use subject::Subject;
pub use title::Title;

/// Raw input that is not a valid value. The message names the field and the rule, so it
/// can be shown to the client as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("title must be 1–200 characters (got {chars})")]
    TitleLength { chars: usize },
    #[error("description must be 0–5000 characters (got {chars})")]
    DescriptionTooLong { chars: usize },
    #[error("subject must be 1–100 characters (got {chars})")]
    SubjectLength { chars: usize },
    #[error("grade level must be an integer 1–12 (got {value})")]
    GradeLevelOutOfRange { value: i64 },
    #[error("lesson content must be a JSON object (got {kind})")]
    LessonContentNotAnObject { kind: JsonKind },
    #[error("lesson content must be at most 256 KiB as JSON (got {bytes} bytes)")]
    LessonContentTooLarge { bytes: usize },
    #[error("{field} must be a UUID: {source}")]
    InvalidId {
        field: &'static str,
        #[source]
        source: uuid::Error,
    },
    #[error("stream id must be `{category}-<uuid>` with a lowercase hyphenated UUID (got `{got}`)")]
    InvalidStreamId { category: &'static str, got: String },
}

impl ValueError {
    /// The request field the error is about, in the snake_case of JSON bodies.
    pub fn field(&self) -> &'static str {
        match self {
            Self::TitleLength { .. } => "title",
            Self::DescriptionTooLong { .. } => "description",
            Self::SubjectLength { .. } => "subject",
            Self::GradeLevelOutOfRange { .. } => "grade_level",
            Self::LessonContentNotAnObject { .. } | Self::LessonContentTooLarge { .. } => "content",
            Self::InvalidId { field, .. } => field,
            Self::InvalidStreamId { .. } => "stream_id",
        }
    }
}

/// The kind of a JSON value, to say what was given where an object was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl JsonKind {
    pub fn of(value: &serde_json::Value) -> Self {
        match value {
            serde_json::Value::Null => Self::Null,
            serde_json::Value::Bool(_) => Self::Bool,
            serde_json::Value::Number(_) => Self::Number,
            serde_json::Value::String(_) => Self::String,
            serde_json::Value::Array(_) => Self::Array,
            serde_json::Value::Object(_) => Self::Object,
        }
    }
}

impl fmt::Display for JsonKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Null => "null",
            Self::Bool => "a boolean",
            Self::Number => "a number",
            Self::String => "a string",
            Self::Array => "an array",
            Self::Object => "an object",
        })
    }
}
