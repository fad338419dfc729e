use serde::{Deserialize, Serialize};

use super::UserEvent;
use crate::values::{DisplayName, Email, PasswordHash, Role, UserId, Username};

/// A user account as its events left it.
///
/// The field is private so that only events shape it: an account has details exactly when
/// it was registered. Serde is for snapshots of folded state (which therefore hold the
/// password hash, as the log does).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct User {
    details: Option<UserDetails>,
}

/// A registered account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserDetails {
    pub id: UserId,
    pub username: Username,
    pub email: Email,
    pub display_name: DisplayName,
    pub role: Role,
    /// False after a deactivation, until a reactivation.
    pub active: bool,
    /// The current one, for verifying a sign-in at the edge.
    pub password_hash: PasswordHash,
    /// A student's linked parents, in the order they were linked.
    pub parents: Vec<UserId>,
}

impl User {
    pub fn exists(&self) -> bool {
        self.details.is_some()
    }

    /// `None` until the account is registered.
    pub fn details(&self) -> Option<&UserDetails> {
        self.details.as_ref()
    }

    pub fn id(&self) -> Option<UserId> {
        self.details.as_ref().map(|d| d.id)
    }

    pub fn username(&self) -> Option<&Username> {
        self.details.as_ref().map(|d| &d.username)
    }

    pub fn email(&self) -> Option<&Email> {
        self.details.as_ref().map(|d| &d.email)
    }

    pub fn display_name(&self) -> Option<&DisplayName> {
        self.details.as_ref().map(|d| &d.display_name)
    }

    pub fn role(&self) -> Option<Role> {
        self.details.as_ref().map(|d| d.role)
    }

    /// Registered and not deactivated: the account may sign in.
    pub fn is_active(&self) -> bool {
        self.details.as_ref().is_some_and(|d| d.active)
    }

    pub fn password_hash(&self) -> Option<&PasswordHash> {
        self.details.as_ref().map(|d| &d.password_hash)
    }

    /// The linked parents (empty for an account that has none or does not exist).
    pub fn parents(&self) -> &[UserId] {
        self.details.as_ref().map_or(&[], |d| &d.parents)
    }
}

pub(super) fn evolve(mut user: User, event: &UserEvent) -> User {
    if let UserEvent::UserRegistered {
        user_id,
        username,
        email,
        display_name,
        password_hash,
        role,
    } = event
    {
        user.details = Some(UserDetails {
            id: *user_id,
            username: username.clone(),
            email: email.clone(),
            display_name: display_name.clone(),
            role: *role,
            active: true,
            password_hash: password_hash.clone(),
            parents: Vec::new(),
        });
        return user;
    }
    // Every other event follows a registration; a stray one has nothing to change.
    let Some(details) = user.details.as_mut() else {
        return user;
    };
    match event {
        UserEvent::UserRegistered { .. } => {}
        UserEvent::UserRoleChanged { role, .. } => details.role = *role,
        UserEvent::UserDeactivated => details.active = false,
        UserEvent::UserReactivated => details.active = true,
        UserEvent::UserPasswordChanged { password_hash } => {
            details.password_hash = password_hash.clone();
        }
        UserEvent::ParentLinked { parent_id } => details.parents.push(*parent_id),
    }
    user
}
