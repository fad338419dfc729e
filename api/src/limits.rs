//! Hostile and greedy clients: the limits that keep one client from harming the others.
//!
//! One middleware ([`guard`]), outside the routes, in this order:
//!
//! 1. **Rate limit per client** (`LECTERN_RATE_LIMIT_PER_SECOND`, `LECTERN_RATE_LIMIT_BURST`;
//!    GCRA from the `governor` crate). The client is the user of a valid bearer access
//!    token, else the peer's address (the left-most address of `X-Forwarded-For` not in
//!    `LECTERN_TRUSTED_PROXIES`, when the peer is one of those proxies). Too fast: 429 with
//!    `Retry-After` and a `too-many-requests` problem. Clients on loopback addresses are
//!    not limited unless `LECTERN_RATE_LIMIT_LOOPBACK=true` (the demo, the tests and
//!    `lectern bench` send thousands of requests a second from 127.0.0.1); requests without
//!    a peer address (`oneshot` tests) are not limited either.
//! 2. **Load shedding** (`LECTERN_MAX_IN_FLIGHT`): at most that many requests are handled at
//!    once; one more is refused at once with 503, `Retry-After: 1` and an `overloaded`
//!    problem instead of queueing, so a flood cannot grow memory without bound. A request
//!    holds its slot until its response's head is ready (an NDJSON stream's body is sent
//!    after).
//! 3. **Request timeout** (`LECTERN_REQUEST_TIMEOUT`): reading the request's body and
//!    answering it (up to the response's head) must end within the bound, else 408 with a
//!    `request-timeout` problem and `Connection: close`; a slow client trickling its body is
//!    cut there. The handler is dropped at that point: a command may or may not have been
//!    appended (retry it with the same `Idempotency-Key`). NDJSON exports (`Accept:
//!    application/x-ndjson`) and `POST /v1/audit/verify`, which may rightly run for long,
//!    are exempt.
//!
//! Elsewhere: bodies above `LECTERN_BODY_LIMIT` get 413 ([`crate::extract`]); JSON nested
//! deeper than serde_json's limit (128), invalid UTF-8 and a NUL in a string (which
//! PostgreSQL cannot store) get 400 `malformed-request`;
//! header sections above hyper's limit (~400 KiB) are refused by hyper (431), and a request
//! head not received within `LECTERN_HEADER_READ_TIMEOUT` closes its connection
//! ([`crate::serve`]), before any of this runs.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::Semaphore;
use uuid::Uuid;

use crate::ApiConfig;
use crate::audit::ndjson;
use crate::auth::{TokenKeys, TokenType};
use crate::error::problem_response;
use crate::problem::{self, Problem};

/// Forget clients idle long enough to be back at a full burst, every this many requests.
const FORGET_EVERY: u64 = 4096;
const RETRY_OVERLOADED_SECS: u32 = 1;

/// Who a rate limit counts requests for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Client {
    User(Uuid),
    Addr(IpAddr),
}

/// The shared state of [`guard`].
pub struct Limits {
    rate: Option<DefaultKeyedRateLimiter<Client>>,
    clock: DefaultClock,
    requests: AtomicU64,
    loopback: bool,
    trusted_proxies: Vec<IpAddr>,
    in_flight: Arc<Semaphore>,
    timeout: Duration,
    tokens: Arc<TokenKeys>,
}

impl Limits {
    pub fn new(config: &ApiConfig, tokens: Arc<TokenKeys>) -> Self {
        let rate = NonZeroU32::new(config.rate_limit_per_second).map(|rate| {
            let burst = NonZeroU32::new(config.rate_limit_burst).unwrap_or(rate);
            RateLimiter::keyed(Quota::per_second(rate).allow_burst(burst))
        });
        Self {
            rate,
            clock: DefaultClock::default(),
            requests: AtomicU64::new(0),
            loopback: config.rate_limit_loopback,
            trusted_proxies: config.trusted_proxies.clone(),
            in_flight: Arc::new(Semaphore::new(
                config.max_in_flight.clamp(1, Semaphore::MAX_PERMITS),
            )),
            timeout: config.request_timeout(),
            tokens,
        }
    }

    /// The client a request counts for, or None when it is not rate limited.
    fn client(&self, request: &Request) -> Option<Client> {
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()?
            .0
            .ip();
        let addr = self.client_addr(peer, request.headers());
        if addr.is_loopback() && !self.loopback {
            return None;
        }
        Some(match self.user(request.headers()) {
            Some(user) => Client::User(user),
            None => Client::Addr(addr),
        })
    }

    /// The peer, or the client a trusted proxy forwarded for.
    fn client_addr(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusted_proxies.contains(&peer) {
            return peer;
        }
        let forwarded: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|entry| entry.trim().parse().ok())
            .collect();
        forwarded
            .into_iter()
            .rev()
            .find(|addr| !self.trusted_proxies.contains(addr))
            .unwrap_or(peer)
    }

    /// The user of a valid access token.
    fn user(&self, headers: &HeaderMap) -> Option<Uuid> {
        let (scheme, token) = headers
            .get(header::AUTHORIZATION)?
            .to_str()
            .ok()?
            .split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return None;
        }
        let claims = self.tokens.verify(token.trim(), TokenType::Access).ok()?;
        Some(claims.sub)
    }

    /// None when the client may go on; else how long it should wait.
    fn throttled(&self, request: &Request) -> Option<Duration> {
        let limiter = self.rate.as_ref()?;
        let client = self.client(request)?;
        if self.requests.fetch_add(1, Ordering::Relaxed) % FORGET_EVERY == 0 {
            limiter.retain_recent();
        }
        limiter
            .check_key(&client)
            .err()
            .map(|not_until| not_until.wait_time_from(self.clock.now()))
    }
}

/// Requests that may rightly take long: NDJSON exports and the hash chain's verification.
fn exempt_from_timeout(request: &Request) -> bool {
    ndjson::wanted(request.headers())
        || (request.method() == Method::POST && request.uri().path() == crate::audit::VERIFY_PATH)
}

/// The middleware: rate limit, then load shedding, then the request timeout.
pub async fn guard(State(limits): State<Arc<Limits>>, request: Request, next: Next) -> Response {
    if let Some(wait) = limits.throttled(&request) {
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        let mut response = problem_response(&Problem::new(
            problem::TOO_MANY_REQUESTS,
            "this client sends requests faster than the API allows; retry after the \
             Retry-After seconds",
        ));
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        return response;
    }
    let Ok(_slot) = limits.in_flight.clone().try_acquire_owned() else {
        tracing::warn!("too many requests in flight; shedding one");
        let mut response = problem_response(&Problem::new(
            problem::OVERLOADED,
            "the server is handling as many requests as it allows; retry shortly",
        ));
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(RETRY_OVERLOADED_SECS),
        );
        return response;
    };
    if exempt_from_timeout(&request) {
        return next.run(request).await;
    }
    match tokio::time::timeout(limits.timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(timeout = ?limits.timeout, "request timed out");
            let mut response = problem_response(&Problem::new(
                problem::REQUEST_TIMEOUT,
                format!(
                    "the request was not received and answered within {} s",
                    limits.timeout.as_secs_f64()
                ),
            ));
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
        }
    }
}
