use crate::values::{DisplayName, Email, PasswordHash, Role, UserId, Username};

/// What can be asked of a user account. Every field is already a valid value; whether the
/// command is allowed in the account's current state is decided by
/// [`crate::Aggregate::decide`]. Who may issue which is the API's check (see
/// `crate::access`).
#[derive(Debug, Clone, PartialEq)]
pub enum UserCommand {
    /// Open the account. The id comes from the caller, so a retried registration lands on
    /// the same stream and is rejected instead of creating a twin; the username and email
    /// are kept unique across accounts by the store's reservations
    /// ([`super::User::reservations`]).
    Register {
        user_id: UserId,
        username: Username,
        email: Email,
        display_name: DisplayName,
        /// Hashed at the edge; a plain password never reaches the domain.
        password_hash: PasswordHash,
        role: Role,
    },
    ChangeRole {
        role: Role,
    },
    /// Lock the account: it can no longer sign in or be changed until reactivated.
    Deactivate,
    Reactivate,
    ChangePassword {
        password_hash: PasswordHash,
    },
    /// Issued on the student's stream: the student gains a linked parent. That
    /// `parent_id` is an account with the parent role is the caller's check, since it is
    /// another aggregate's state.
    LinkParent {
        parent_id: UserId,
    },
}
