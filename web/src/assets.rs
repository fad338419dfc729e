//! The static files every page loads, compiled into the binary: htmx 2.0.11 (vendored from
//! the npm package `htmx.org` into `web/assets/`, with its licence), the app's own CSS and
//! `live.js` (35 lines: re-render a region when its live feed reports an event).
//! Nothing comes from a CDN; the pages work offline.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

const HTMX: &str = include_str!("../assets/htmx.min.js");
const CSS: &str = include_str!("../assets/app.css");
const LIVE: &str = include_str!("../assets/live.js");

/// The assets change only with the binary; a day of caching is safe.
const CACHE: &str = "public, max-age=86400";

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route(
            "/assets/htmx.min.js",
            get(|| async { asset(HTMX, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/assets/live.js",
            get(|| async { asset(LIVE, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/assets/app.css",
            get(|| async { asset(CSS, "text/css; charset=utf-8") }),
        )
}

fn asset(body: &'static str, content_type: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, CACHE),
        ],
        body,
    )
}
