//! Lectern's web app: server-rendered pages for teachers, students, admins, auditors and
//! analysts, mounted by the binary beside the HTTP API (`api::Application::build_with`).
//!
//! Pages are maud templates (checked at compile time) with htmx for the parts that change
//! without a reload, and one small CSS file; all of it is compiled into the binary
//! ([`assets`]). A page reads the same read models and runs the same commands as its REST
//! twin, in-process and through the same functions of the `api` crate, so the rules and the
//! permissions live in one place; it never calls the API over HTTP.
//!
//! - [`session`]: sign-in opens a session (an `HttpOnly`, `SameSite=Lax` cookie), every
//!   page needs one, every POST carries its CSRF token.
//! - [`layout`]: the frame of every page; [`error`]: refusals as readable pages.
//! - [`pages`]: one module per screen.
//!
//! It must not hold business rules (those are `domain`'s) nor write to the log except
//! through the commands the API runs.

pub mod assets;
pub mod charts;
pub mod command;
pub mod error;
pub mod layout;
pub mod live;
pub mod pages;
pub mod session;

use api::AppState;
use axum::Router;
use axum::routing::get;

/// Every page and asset, to serve beside the API.
pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::sign_in::start))
        .merge(pages::sign_in::router())
        .merge(pages::lessons::router())
        .merge(pages::content::router())
        .merge(pages::classes::router())
        .merge(pages::learn::router())
        .merge(pages::admin::router())
        .merge(pages::audit::router())
        .merge(pages::analyst::router())
        .merge(assets::router())
}
