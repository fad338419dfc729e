//! `Accept: application/x-ndjson`: every matching event, one JSON object per line, streamed
//! as the store is paged through ([`Pager`], [`PAGE`](super::history::PAGE) events at a
//! time, keyset by position or version), never collected.
//!
//! The body is a stream that reads the next page only when hyper asks for more, i.e. once
//! the previous chunk went out to the socket: a slow client slows the reads down rather
//! than filling the server's memory. A database error after the headers went out ends the
//! body abruptly (the chunked encoding is never terminated), so a client cannot mistake a
//! cut-off export for a complete one; the error is logged.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use sqlx::PgPool;

use super::history::Pager;
use crate::error::Chain;

/// The media type of newline-delimited JSON.
pub const CONTENT_TYPE: &str = "application/x-ndjson";

/// Does the request ask for NDJSON? (Any `Accept` entry of that media type with q > 0.)
pub fn wanted(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|entry| {
            let mut parts = entry.split(';').map(str::trim);
            let essence = parts.next().unwrap_or_default();
            let refused = parts.any(|param| {
                param
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            essence.eq_ignore_ascii_case(CONTENT_TYPE) && !refused
        })
}

/// A streaming NDJSON response of everything `pager` reads.
pub fn response(pool: PgPool, pager: Pager) -> Response {
    let chunks = futures::stream::unfold(Some((pool, pager)), |state| async move {
        let (pool, mut pager) = state?;
        match pager.next_page(&pool).await {
            Ok(page) if page.is_empty() => None,
            Ok(page) => Some((Ok(lines(&page)), Some((pool, pager)))),
            Err(error) => {
                tracing::error!(error = %Chain(&error), "an NDJSON read failed midway; the body is cut off");
                Some((Err(error), None))
            }
        }
    });
    let mut response = Body::from_stream(chunks).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    response
}

fn lines<T: serde::Serialize>(items: &[T]) -> Bytes {
    let mut out = Vec::with_capacity(items.len() * 512);
    for item in items {
        // Serializing plain data (strings, numbers, JSON values) into a Vec cannot fail.
        if serde_json::to_writer(&mut out, item).is_ok() {
            out.push(b'\n');
        }
    }
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn ndjson_is_wanted_when_accept_names_it() {
        assert!(wanted(&accept("application/x-ndjson")));
        assert!(wanted(&accept(
            "application/json;q=0.5, application/x-ndjson"
        )));
        assert!(wanted(&accept("Application/X-NDJSON; q=1")));
        assert!(!wanted(&accept("application/json")));
        assert!(!wanted(&accept("application/x-ndjson;q=0")));
        assert!(!wanted(&accept("*/*")));
        assert!(!wanted(&HeaderMap::new()));
    }
}
