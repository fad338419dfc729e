use super::{User, UserCommand, UserDetails, UserEvent, UserRejection};
use crate::values::Role;

pub(super) fn decide(user: &User, command: &UserCommand) -> Result<Vec<UserEvent>, UserRejection> {
    let event = match command {
        UserCommand::Register {
            user_id,
            username,
            email,
            display_name,
            password_hash,
            role,
        } => {
            require(!user.exists(), UserRejection::AlreadyExists)?;
            UserEvent::UserRegistered {
                user_id: *user_id,
                username: username.clone(),
                email: email.clone(),
                display_name: display_name.clone(),
                password_hash: password_hash.clone(),
                role: *role,
            }
        }
        UserCommand::ChangeRole { role } => {
            let current = active(user)?;
            require(
                current.role != *role,
                UserRejection::RoleUnchanged { role: *role },
            )?;
            UserEvent::UserRoleChanged {
                previous_role: current.role,
                role: *role,
            }
        }
        UserCommand::Deactivate => {
            let current = existing(user)?;
            require(current.active, UserRejection::AlreadyDeactivated)?;
            UserEvent::UserDeactivated
        }
        UserCommand::Reactivate => {
            let current = existing(user)?;
            require(!current.active, UserRejection::NotDeactivated)?;
            UserEvent::UserReactivated
        }
        UserCommand::ChangePassword { password_hash } => {
            active(user)?;
            UserEvent::UserPasswordChanged {
                password_hash: password_hash.clone(),
            }
        }
        UserCommand::LinkParent { parent_id } => {
            let current = active(user)?;
            require(
                current.role == Role::Student,
                UserRejection::NotAStudent { role: current.role },
            )?;
            require(
                !current.parents.contains(parent_id),
                UserRejection::ParentAlreadyLinked {
                    parent_id: *parent_id,
                },
            )?;
            UserEvent::ParentLinked {
                parent_id: *parent_id,
            }
        }
    };
    Ok(vec![event])
}

/// Every command but a registration needs an account to act on; checking that first
/// keeps an unregistered id from being reported as, say, "not deactivated".
fn existing(user: &User) -> Result<&UserDetails, UserRejection> {
    user.details().ok_or(UserRejection::NotFound)
}

/// A deactivated account is frozen: only reactivating it (or deactivating it again,
/// which is its own rule) is considered.
fn active(user: &User) -> Result<&UserDetails, UserRejection> {
    let current = existing(user)?;
    require(current.active, UserRejection::Deactivated)?;
    Ok(current)
}

fn require(rule_holds: bool, otherwise: UserRejection) -> Result<(), UserRejection> {
    if rule_holds { Ok(()) } else { Err(otherwise) }
}
