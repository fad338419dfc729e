//! The agents' outputs (placeholder until filled in).

use serde::{Deserialize, Serialize};

/// The content agent's lesson structure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonPlan {}
