use crate::values::{Role, UserId};
use crate::{Rejection, RejectionKind};

/// Why a user command was refused. [`Rejection::rule`] gives each a stable name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserRejection {
    /// `user-already-exists`: registering an id that already has an account (a
    /// duplicate). A username or email already taken by another account is not this: the
    /// store refuses the append for its reservation.
    #[error("the user already exists")]
    AlreadyExists,
    /// `user-not-found`: any command other than a registration, on an account never
    /// registered.
    #[error("the user does not exist")]
    NotFound,
    /// `role-unchanged`: changing the role to the one the user already has.
    #[error("the user already has the role {role}")]
    RoleUnchanged { role: Role },
    /// `user-already-deactivated`: deactivating a deactivated account.
    #[error("the user is already deactivated")]
    AlreadyDeactivated,
    /// `user-not-deactivated`: reactivating an active account.
    #[error("the user is not deactivated")]
    NotDeactivated,
    /// `user-deactivated`: changing the role or password of, or linking a parent to, a
    /// deactivated account.
    #[error("the user is deactivated")]
    Deactivated,
    /// `not-a-student`: linking a parent to an account that is not a student.
    #[error("the user is a {role}, not a student")]
    NotAStudent { role: Role },
    /// `parent-already-linked`: linking a parent the student already has.
    #[error("parent {parent_id} is already linked")]
    ParentAlreadyLinked { parent_id: UserId },
}

impl Rejection for UserRejection {
    fn rule(&self) -> &'static str {
        match self {
            Self::AlreadyExists => "user-already-exists",
            Self::NotFound => "user-not-found",
            Self::RoleUnchanged { .. } => "role-unchanged",
            Self::AlreadyDeactivated => "user-already-deactivated",
            Self::NotDeactivated => "user-not-deactivated",
            Self::Deactivated => "user-deactivated",
            Self::NotAStudent { .. } => "not-a-student",
            Self::ParentAlreadyLinked { .. } => "parent-already-linked",
        }
    }

    fn kind(&self) -> RejectionKind {
        match self {
            Self::AlreadyExists => RejectionKind::AlreadyExists,
            Self::NotFound => RejectionKind::NotFound,
            _ => RejectionKind::RuleViolated,
        }
    }
}
