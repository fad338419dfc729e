//! The analyst's screens: the read models as sortable tables with CSV download, and the analytics charts.

use api::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
