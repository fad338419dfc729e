//! The progress routes' request bodies. They deserialize straight into domain value types
//! and refuse unknown fields.

use domain::{ClassId, Completion, Xp};
use serde::Deserialize;
use utoipa::ToSchema;

/// Where the lesson is started from.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartLesson {
    /// A class the student is enrolled in that has the lesson assigned. A student in
    /// several such classes chooses which one the progress counts for.
    #[schema(value_type = Uuid)]
    pub class_id: ClassId,
}

/// How far the student got.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordProgress {
    /// Percent done, 0–100; never less than recorded before.
    #[schema(value_type = u8, minimum = 0, maximum = 100, example = 40)]
    pub completion: Completion,
    /// XP earned since the last record, 0–1,000,000.
    #[schema(value_type = u32, minimum = 0, maximum = 1_000_000, example = 10)]
    pub xp_earned: Xp,
}

/// The lesson's award.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteLesson {
    /// XP awarded for completing, 0–1,000,000; awarded once.
    #[schema(value_type = u32, minimum = 0, maximum = 1_000_000, example = 50)]
    pub xp_awarded: Xp,
}
