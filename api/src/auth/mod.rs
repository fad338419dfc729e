//! Authentication and authorization at the edge.
//!
//! - [`token`]: HS256 JWTs (access, refresh, stream tickets) signed with `LECTERN_JWT_SECRET`.
//! - [`Authenticated`]: the extractor that turns a bearer access token into the caller
//!   (401 otherwise), with [`Authenticated::require`], a handler's one permission check
//!   (403), which asks `domain::Role::can` — the permission table lives in `domain::access`.
//! - [`password`]: argon2id hashing and verification on the blocking pool.
//! - [`router`]: the token routes, sign-in (`POST /v1/auth/token`) and refresh
//!   (`POST /v1/auth/refresh`), in `session`; `record` puts every sign-in, failed sign-in
//!   and refused refresh in the log for auditors.
//!
//! Resource rules (an author sees their own drafts) are the handlers' business, on top of
//! the role's permissions.

mod authenticated;
pub mod password;
mod record;
mod session;
pub mod token;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use authenticated::{Authenticated, bearer_claims};
pub use session::{Refresh, SignIn};
pub use token::{Claims, TokenError, TokenKeys, TokenPair, TokenType};

use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(session::sign_in))
        .routes(routes!(session::refresh))
}
