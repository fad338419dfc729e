//! The script agent's output: one Roblox Luau script wiring the terrain's stations to the
//! lesson. Only the shape lives here; whether the source parses is the review's call.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Script {
    pub language: ScriptLanguage,
    pub source: String,
    /// The ids of the stations the script handles.
    pub stations: Vec<String>,
}

/// The only language Roblox runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScriptLanguage {
    Luau,
}
