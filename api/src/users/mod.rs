//! The user routes.
//!
//! | route | does | who |
//! |---|---|---|
//! | `POST /v1/users` | register (201, `Location`) | admin |
//! | `POST /v1/users/{id}/role` | change the role | admin |
//! | `POST /v1/users/{id}/deactivate` | lock the account | admin |
//! | `POST /v1/users/{id}/reactivate` | unlock it | admin |
//! | `POST /v1/users/{id}/password` | set a new password | the account itself, admin |
//! | `POST /v1/users/{id}/parents` | link a parent to a student | admin |
//! | `GET /v1/users` | list (`role`, `active`, `username_prefix`, `cursor`, `limit`) | admin, analyst |
//! | `GET /v1/users/{id}` | one account | the account itself, its linked parents, admin, analyst |
//! | `GET /v1/users/me` | the caller's account | anyone signed in |
//!
//! Who may do what is `domain::access` (`manage:users`, `read:read_models`,
//! `update:own_profile`); which accounts a caller sees is [`read`]'s rule; the rules of an
//! account's life are `domain::User`'s. Usernames and emails stay unique through the
//! store's reservations ([`reservations`]), so a taken one is 409 naming `username` or
//! `email`.

mod dto;
mod read;
mod write;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use domain::{User, UserEvent, UserId};
use eventstore::Reservation;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::{ApiError, AppState};

pub use dto::{
    ChangePassword, ChangeRole, LinkParent, ListUsers, RegisterUser, UserList, UserView,
};
pub(crate) use read::may_see_user;
pub use write::NotAParent;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(write::register, read::list))
        .routes(routes!(read::me))
        .routes(routes!(read::get))
        .routes(routes!(write::change_role))
        .routes(routes!(write::deactivate))
        .routes(routes!(write::reactivate))
        .routes(routes!(write::change_password))
        .routes(routes!(write::link_parent))
}

/// The store reservations of user events (a registration's username and email), for
/// `CommandRunner::execute_reserving` (also what `lectern users create` must claim).
pub fn reservations(events: &[UserEvent]) -> Vec<Reservation> {
    User::reservations(events)
        .into_iter()
        .map(|(scope, value)| Reservation::new(scope, value))
        .collect()
}

/// The `{id}` of a user route; 400 naming `user_id` when it is not a UUID.
pub struct UserPath(pub UserId);

impl<S: Send + Sync> FromRequestParts<S> for UserPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|rejection| ApiError::Malformed(rejection.body_text()))?;
        Ok(Self(UserId::parse(&raw)?))
    }
}
