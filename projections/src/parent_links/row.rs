//! One row of `read.parent_links`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

/// A parent linked to a student.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ParentLinkRow {
    pub parent_id: Uuid,
    pub student_id: Uuid,
    pub linked_at: DateTime<Utc>,
}
