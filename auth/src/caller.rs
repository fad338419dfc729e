//! [`Caller`]: the user (or service account) a request acts for, and its permission check.

use commands::Actor;
use domain::{Permission, Role};
use uuid::Uuid;

use crate::Claims;

/// The user a request acts for, from a verified access token or a web session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user_id: Uuid,
    pub role: Role,
    /// The access token's `jti`, or the web session's id.
    pub token_id: Uuid,
}

/// A permission the caller's role lacks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the role `{role}` lacks the permission `{permission}`")]
pub struct Forbidden {
    pub role: Role,
    pub permission: Permission,
}

impl Caller {
    /// The one permission check of a handler or a page.
    pub fn require(&self, permission: Permission) -> Result<(), Forbidden> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(Forbidden {
                role: self.role,
                permission,
            })
        }
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.role.can(permission)
    }

    /// Admins are exempt from the resource rules (a teacher's own classes, an author's own
    /// lessons, a requester's own content requests): they act on every resource their
    /// permissions cover. `domain::access` has permissions per role, not per resource.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Who the events of this caller's commands say did it.
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.user_id,
            role: self.role.as_str().to_owned(),
        }
    }
}

impl From<&Claims> for Caller {
    fn from(claims: &Claims) -> Self {
        Self {
            user_id: claims.sub,
            role: claims.role,
            token_id: claims.jti,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(role: Role) -> Caller {
        Caller {
            user_id: Uuid::now_v7(),
            role,
            token_id: Uuid::now_v7(),
        }
    }

    #[test]
    fn a_permission_the_role_lacks_is_refused_with_both_named() {
        let student = caller(Role::Student);
        let refusal = student.require(Permission::ManageUsers).unwrap_err();
        assert_eq!(refusal.role, Role::Student);
        assert!(refusal.to_string().contains("student"), "{refusal}");
        assert!(caller(Role::Admin).require(Permission::ManageUsers).is_ok());
        assert!(caller(Role::Admin).is_admin() && !student.is_admin());
    }
}
