//! One row of `read.users`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

/// An account as shown to others. There is deliberately no password hash here.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct UserRow {
    pub user_id: Uuid,
    pub username: String,
    pub email: String,
    pub display_name: String,
    /// student, teacher, parent, admin, auditor, analyst, agent
    pub role: String,
    /// False while deactivated.
    pub active: bool,
    /// A student's linked parents, in the order they were linked.
    pub parent_ids: Vec<Uuid>,
    /// The user stream's version this row reflects.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
