//! Whose class it is: a teacher manages only the classes they teach, and sees only their
//! rosters and progress; an admin manages every class; analysts and admins see every one.
//!
//! Checked against the class's own state, loaded from the log (`CommandRunner::state`),
//! never a read model. The check cannot go stale before the command appends: no command
//! changes a class's teacher.

use domain::{Class, ClassId, ClassRejection, Permission};
use uuid::Uuid;

use crate::auth::Authenticated;
use crate::{ApiError, AppState};

/// The class `id`, if `user` may manage it: 404 `class-not-found` when it was never
/// created, 403 when it is another teacher's.
pub async fn managed_class(
    state: &AppState,
    user: &Authenticated,
    id: ClassId,
) -> Result<Class, ApiError> {
    let (_, class) = state.classes.state(id.as_uuid()).await?;
    let Some(teacher) = class.teacher_id() else {
        return Err(ApiError::rejected(ClassRejection::NotFound));
    };
    if teacher.as_uuid() != user.user_id && !user.is_admin() {
        return Err(ApiError::Forbidden(format!(
            "class {id} is another teacher's: a teacher manages only their own classes"
        )));
    }
    Ok(class)
}

/// Whether `user` sees every class (analysts, admins) rather than only their own.
pub fn sees_every_class(user: &Authenticated) -> bool {
    user.can(Permission::ReadReadModels)
}

/// Whether `user` may see the class `teacher_id` teaches.
pub fn may_see(user: &Authenticated, teacher_id: Uuid) -> bool {
    sees_every_class(user) || (user.can(Permission::ManageClasses) && teacher_id == user.user_id)
}

/// 404 unless the class `id` exists and `user` may see it (a class the caller may not see
/// is "not found", as for lessons).
pub async fn readable_class(
    state: &AppState,
    user: &Authenticated,
    id: ClassId,
) -> Result<(), ApiError> {
    let (_, class) = state.classes.state(id.as_uuid()).await?;
    match class.teacher_id() {
        Some(teacher) if may_see(user, teacher.as_uuid()) => Ok(()),
        _ => Err(ApiError::NotFound(format!("there is no class {id}"))),
    }
}
