//! The token routes, sign-in (`POST /v1/auth/token`) and refresh (`POST /v1/auth/refresh`),
//! in [`routes`]; [`record`] puts every sign-in, failed sign-in and refused refresh in the
//! log for auditors.
//!
//! Built on [`crate::auth`] (tokens, password hashing), which knows nothing of routes: this
//! module is where signing in meets the application's state.

mod record;
mod routes;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use record::Attempt;
pub use routes::{Refresh, SignIn, TokenErrors, check_credentials};

use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::sign_in))
        .routes(routes!(routes::refresh))
}
