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
mod display_name;
mod email;
mod grade_level;
mod ids;
mod lesson_content;
mod password;
mod password_hash;
mod role;
mod subject;
mod title;
mod username;

pub use description::Description;
pub use display_name::DisplayName;
pub use email::Email;
pub use grade_level::GradeLevel;
pub use ids::{LessonId, UserId};
pub use lesson_content::LessonContent;
pub use password::Password;
pub use password_hash::PasswordHash;
pub use role::Role;
pub use subject::Subject;
pub use title::Title;
pub use username::Username;

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
    #[error("`{got}` is not a permission")]
    UnknownPermission { got: String },
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
