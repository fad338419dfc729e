//! `/openapi.json` and the docs page at `/docs`: Swagger UI, vendored from the npm package
//! `swagger-ui-dist` 5.35.0 into `api/assets/swagger-ui/` and compiled into the binary, so
//! the page works offline and the build fetches nothing.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use utoipa::openapi::OpenApi;

use crate::extract::Json;

const INDEX_HTML: &[u8] = include_bytes!("../assets/swagger-ui/index.html");
const BUNDLE_JS: &[u8] = include_bytes!("../assets/swagger-ui/swagger-ui-bundle.js");
const CSS: &[u8] = include_bytes!("../assets/swagger-ui/swagger-ui.css");

/// The assets change only with the binary; a day of caching is safe.
const ASSET_CACHE: &str = "public, max-age=86400";

/// The routes of the document (completed with [`crate::openapi::add_limit_responses`])
/// and of its docs page.
pub fn router<S: Clone + Send + Sync + 'static>(mut openapi: OpenApi) -> Router<S> {
    crate::openapi::add_limit_responses(&mut openapi);
    Router::new()
        .route(
            "/openapi.json",
            get(move || {
                let document = openapi.clone();
                async move { Json(document) }
            }),
        )
        .route(
            "/docs",
            get(|| async { asset(INDEX_HTML, "text/html; charset=utf-8", "no-cache") }),
        )
        .route(
            "/docs/swagger-ui-bundle.js",
            get(|| async { asset(BUNDLE_JS, "text/javascript; charset=utf-8", ASSET_CACHE) }),
        )
        .route(
            "/docs/swagger-ui.css",
            get(|| async { asset(CSS, "text/css; charset=utf-8", ASSET_CACHE) }),
        )
}

fn asset(body: &'static [u8], content_type: &'static str, cache: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        body,
    )
        .into_response()
}
