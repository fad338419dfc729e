//! Value types: raw input is parsed into them once, at the edge, so anything that holds
//! one holds a valid value. Each deserializes through its `parse`, so a payload or request
//! body can never smuggle in an invalid value either.
//!
//! Values depend on nothing else in the crate: the id types carry their aggregates' stream
//! categories (`LessonId::CATEGORY`), which the aggregates take, not the other way round.

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

/// The shared shape of a whole-number value type in `MIN..=MAX`: `parse(i64)` (so JSON
/// numbers of any size are checked without wrapping), `get()`, and the conversions. The
/// struct itself carries `#[serde(try_from = "i64", into = "<repr>")]`.
macro_rules! int_value {
    ($name:ident, $repr:ty, $min:expr, $max:expr, $error:ident) => {
        impl $name {
            pub const MIN: $repr = $min;
            pub const MAX: $repr = $max;

            pub fn parse(raw: i64) -> Result<Self, $crate::values::ValueError> {
                match <$repr>::try_from(raw) {
                    Ok(value) if (Self::MIN..=Self::MAX).contains(&value) => Ok(Self(value)),
                    _ => Err($crate::values::ValueError::$error { value: raw }),
                }
            }

            pub const fn get(self) -> $repr {
                self.0
            }
        }

        impl TryFrom<i64> for $name {
            type Error = $crate::values::ValueError;

            fn try_from(raw: i64) -> Result<Self, Self::Error> {
                Self::parse(raw)
            }
        }

        impl From<$name> for $repr {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl From<$name> for i64 {
            fn from(value: $name) -> Self {
                value.0.into()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

mod agent_name;
mod class_name;
mod completion;
mod content_parts;
mod description;
mod display_name;
mod duration_minutes;
mod email;
mod grade_level;
mod ids;
mod learning_objectives;
mod lesson_content;
mod max_students;
mod password;
mod password_hash;
mod reason;
mod role;
mod subject;
mod theme;
mod title;
mod username;
mod xp;

pub use agent_name::AgentName;
pub use class_name::ClassName;
pub use completion::Completion;
pub use content_parts::{ContentPart, ContentParts};
pub use description::Description;
pub use display_name::DisplayName;
pub use duration_minutes::DurationMinutes;
pub use email::Email;
pub use grade_level::GradeLevel;
pub use ids::{ClassId, ContentRequestId, LessonId, ProgressId, UserId};
pub use learning_objectives::LearningObjectives;
pub use lesson_content::LessonContent;
pub use max_students::MaxStudents;
pub use password::Password;
pub use password_hash::PasswordHash;
pub use reason::Reason;
pub use role::Role;
pub use subject::Subject;
pub use theme::Theme;
pub use title::Title;
pub use username::Username;
pub use xp::Xp;

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
    #[error("username must be 3–50 characters (got {chars})")]
    UsernameLength { chars: usize },
    #[error("username must be lowercase (found `{found}`)")]
    UsernameNotLowercase { found: char },
    #[error("username may contain only a–z, 0–9, `_`, `.` and `-` (found `{found}`)")]
    UsernameCharacter { found: char },
    #[error("email must be at most 254 characters (got {chars})")]
    EmailTooLong { chars: usize },
    #[error("email must be an address like `name@example.org`: {reason}")]
    EmailMalformed { reason: &'static str },
    #[error("display name must be 1–100 characters (got {chars})")]
    DisplayNameLength { chars: usize },
    #[error("password must be 12–1024 characters (got {chars})")]
    PasswordLength { chars: usize },
    #[error("password hash must be a PHC string like `$argon2id$v=19$…`: {reason}")]
    PasswordHashMalformed { reason: &'static str },
    #[error(
        "role must be one of student, teacher, parent, admin, auditor, analyst, agent (got `{got}`)"
    )]
    UnknownRole { got: String },
    #[error(
        "lesson status must be one of none, draft, in_review, approved, published, archived (got `{got}`)"
    )]
    UnknownLessonStatus { got: String },
    #[error(
        "content request status must be one of none, requested, in_progress, generated, failed, cancelled (got `{got}`)"
    )]
    UnknownContentRequestStatus { got: String },
    #[error("`{got}` is not a permission")]
    UnknownPermission { got: String },
    #[error("class name must be 1–120 characters (got {chars})")]
    ClassNameLength { chars: usize },
    #[error("max students must be an integer 1–500 (got {value})")]
    MaxStudentsOutOfRange { value: i64 },
    #[error("objectives must be 1–10 items (got {count})")]
    ObjectivesCount { count: usize },
    #[error("objectives[{index}] must be 3–300 characters (got {chars})")]
    ObjectiveLength { index: usize, chars: usize },
    #[error("duration must be an integer 5–180 minutes (got {value})")]
    DurationOutOfRange { value: i64 },
    #[error("parts must name at least one of lesson_content, quiz, terrain, script")]
    ContentPartsEmpty,
    #[error("a part must be one of lesson_content, quiz, terrain, script (got `{got}`)")]
    UnknownContentPart { got: String },
    #[error("an agent must be one of content, quiz, terrain, script, review (got `{got}`)")]
    UnknownAgent { got: String },
    #[error("theme must be 1–100 characters (got {chars})")]
    ThemeLength { chars: usize },
    #[error("completion must be an integer 0–100 (got {value})")]
    CompletionOutOfRange { value: i64 },
    #[error("reason must be at most 1000 characters (got {chars})")]
    ReasonTooLong { chars: usize },
    #[error("xp must be an integer 0–1000000 (got {value})")]
    XpOutOfRange { value: i64 },
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
            Self::UsernameLength { .. }
            | Self::UsernameNotLowercase { .. }
            | Self::UsernameCharacter { .. } => "username",
            Self::EmailTooLong { .. } | Self::EmailMalformed { .. } => "email",
            Self::DisplayNameLength { .. } => "display_name",
            Self::PasswordLength { .. } => "password",
            Self::PasswordHashMalformed { .. } => "password_hash",
            Self::UnknownRole { .. } => "role",
            Self::UnknownPermission { .. } => "permission",
            Self::UnknownLessonStatus { .. } | Self::UnknownContentRequestStatus { .. } => "status",
            Self::ClassNameLength { .. } => "name",
            Self::MaxStudentsOutOfRange { .. } => "max_students",
            Self::ObjectivesCount { .. } | Self::ObjectiveLength { .. } => "objectives",
            Self::DurationOutOfRange { .. } => "duration_minutes",
            Self::ContentPartsEmpty | Self::UnknownContentPart { .. } => "parts",
            Self::UnknownAgent { .. } => "agent",
            Self::ThemeLength { .. } => "theme",
            Self::CompletionOutOfRange { .. } => "completion",
            Self::ReasonTooLong { .. } => "reason",
            Self::XpOutOfRange { .. } => "xp",
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
