//! Who may do what: the permissions of each [`Role`], in one table.
//!
//! This follows the seeds' RBAC table (`ROLE_PERMISSIONS`): students and parents may read
//! and update their own profile; teachers also read students, manage classes and create
//! content; admins may do everything. Lectern adds the review step of its lesson workflow,
//! what its classes, content requests and progress need (students see and record their
//! own progress, parents see their linked children, teachers request generated content),
//! and the accounts around the platform (auditor, analyst, agent).
//!
//! A permission says what kind of action a role may take at all. Which resources it may
//! take it on (a teacher their classes' students, a parent their children, a student
//! themselves, an author their own drafts) are resource rules the API checks on top.
//!
//! Which permission each command needs:
//!
//! | commands | permission |
//! |---|---|
//! | lesson draft, revise, submit | [`Permission::CreateContent`] |
//! | lesson approve, publish, archive | [`Permission::ReviewContent`] |
//! | class create, enroll, unenroll, assign, unassign, archive | [`Permission::ManageClasses`] |
//! | content request, cancel | [`Permission::RequestContent`] |
//! | content request mark generated / failed, attach generated content to a lesson | [`Permission::SubmitAgentResults`] |
//! | progress start, record, complete | [`Permission::RecordOwnProgress`] |
//! | user accounts (but one's own password) | [`Permission::ManageUsers`] |

use std::{fmt, str::FromStr};

use serde::{Serialize, Serializer};

use crate::values::{Role, ValueError};

/// One kind of action. The `as_str` names (`read:own_profile`) follow the seeds' form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permission {
    /// See one's own account.
    ReadOwnProfile,
    /// Change one's own account (e.g. one's password).
    UpdateOwnProfile,
    /// See one's own progress in lessons (a student).
    ReadOwnProgress,
    /// Start, record and complete one's own lessons (a student).
    RecordOwnProgress,
    /// See one's linked children's profiles and progress (a parent).
    ReadLinkedChildren,
    /// See students' profiles and progress (within the resource rules).
    ReadStudents,
    /// Create classes and manage their rosters.
    ManageClasses,
    /// Draft, revise and submit lessons for review.
    CreateContent,
    /// Ask the agents for generated content for a lesson, and cancel such a request.
    RequestContent,
    /// Approve, publish and archive lessons (the seeds' `moderate:content`).
    ReviewContent,
    /// Register accounts of any role, change roles, deactivate, reactivate, link parents
    /// (the seeds' `admin:users`).
    ManageUsers,
    /// Operate the system: rebuild read models, inspect dead letters.
    AdminSystem,
    /// Read any stream, and an aggregate's state as of a version or time (audit).
    ReadStreams,
    /// Read the whole log in order, export it, verify it (audit).
    ReadLog,
    /// Query any read model (analytics).
    ReadReadModels,
    /// Submit the results of generation work as an agent worker (a content request's
    /// outcome, and attaching generated content to its lesson).
    SubmitAgentResults,
}

/// The table. Read a row as "a <role> may …".
///
/// Teachers do not hold [`Permission::ReviewContent`], so they cannot approve or publish
/// lessons, not even their own: review is the second pair of eyes before content reaches
/// students (and the gate AI-generated content passes), and an author approving their own
/// work would make it a formality. Admins review.
const fn permissions_of(role: Role) -> &'static [Permission] {
    use Permission::*;
    match role {
        Role::Student => &[
            ReadOwnProfile,
            UpdateOwnProfile,
            ReadOwnProgress,
            RecordOwnProgress,
        ],
        Role::Parent => &[ReadOwnProfile, UpdateOwnProfile, ReadLinkedChildren],
        Role::Teacher => &[
            ReadOwnProfile,
            UpdateOwnProfile,
            ReadStudents,
            ManageClasses,
            CreateContent,
            RequestContent,
        ],
        Role::Admin => &Permission::ALL,
        Role::Auditor => &[ReadOwnProfile, UpdateOwnProfile, ReadStreams, ReadLog],
        Role::Analyst => &[ReadOwnProfile, UpdateOwnProfile, ReadReadModels],
        Role::Agent => &[ReadOwnProfile, SubmitAgentResults],
    }
}

impl Permission {
    pub const ALL: [Permission; 16] = [
        Self::ReadOwnProfile,
        Self::UpdateOwnProfile,
        Self::ReadOwnProgress,
        Self::RecordOwnProgress,
        Self::ReadLinkedChildren,
        Self::ReadStudents,
        Self::ManageClasses,
        Self::CreateContent,
        Self::RequestContent,
        Self::ReviewContent,
        Self::ManageUsers,
        Self::AdminSystem,
        Self::ReadStreams,
        Self::ReadLog,
        Self::ReadReadModels,
        Self::SubmitAgentResults,
    ];

    /// The `action:object` name, e.g. for a 403's "permission `review:content` required".
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReadOwnProfile => "read:own_profile",
            Self::UpdateOwnProfile => "update:own_profile",
            Self::ReadOwnProgress => "read:own_progress",
            Self::RecordOwnProgress => "record:own_progress",
            Self::ReadLinkedChildren => "read:linked_children",
            Self::ReadStudents => "read:students",
            Self::ManageClasses => "manage:classes",
            Self::CreateContent => "create:content",
            Self::RequestContent => "request:content",
            Self::ReviewContent => "review:content",
            Self::ManageUsers => "manage:users",
            Self::AdminSystem => "admin:system",
            Self::ReadStreams => "read:streams",
            Self::ReadLog => "read:log",
            Self::ReadReadModels => "read:read_models",
            Self::SubmitAgentResults => "submit:agent_results",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        Self::ALL
            .into_iter()
            .find(|permission| permission.as_str() == raw)
            .ok_or_else(|| ValueError::UnknownPermission {
                got: raw.chars().take(50).collect(),
            })
    }
}

impl Role {
    /// Everything this role may do, in the order of [`Permission::ALL`].
    pub fn permissions(self) -> &'static [Permission] {
        permissions_of(self)
    }

    pub fn can(self, permission: Permission) -> bool {
        self.permissions().contains(&permission)
    }
}

impl FromStr for Permission {
    type Err = ValueError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Permission {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
