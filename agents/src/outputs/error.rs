//! Why a model's answer is not a usable output. Each message is written to be sent back
//! to the model as feedback: it says where the problem is and what was expected.

use std::fmt;

use domain::AgentName;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputError {
    /// The answer holds no JSON object at all.
    NoJson,
    /// A JSON object starts but is malformed.
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// The JSON is not the agent's shape: a missing, unknown or mistyped field.
    Shape { path: String, message: String },
    /// The terrain does not satisfy its JSON Schema; one entry per violation.
    Schema { violations: Vec<String> },
    /// The shape is right but something required is empty.
    Invalid { problems: Vec<String> },
    /// The agent makes no output (the review agent).
    NoOutput { agent: AgentName },
}

impl std::error::Error for OutputError {}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoJson => f.write_str(
                "the answer holds no JSON object; answer with exactly one JSON object and \
                 nothing else",
            ),
            Self::Syntax {
                line,
                column,
                message,
            } => write!(
                f,
                "the JSON object is malformed at line {line}, column {column} of the object: \
                 {message}"
            ),
            Self::Shape { path, message } if path.is_empty() || path == "." => {
                write!(f, "the JSON does not have the required shape: {message}")
            }
            Self::Shape { path, message } => write!(f, "at `{path}`: {message}"),
            Self::Schema { violations } => write!(
                f,
                "the terrain does not satisfy its JSON Schema: {}",
                violations.join("; ")
            ),
            Self::Invalid { problems } => f.write_str(&problems.join("; ")),
            Self::NoOutput { agent } => write!(f, "the {agent} agent makes no output to parse"),
        }
    }
}
