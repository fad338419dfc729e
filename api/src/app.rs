//! The application: the router with its middleware ([`app`]), and [`Application`], which
//! binds it to a port and serves it until told to stop.

use std::any::Any;
use std::future::{Future, IntoFuture};
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware;
use axum::response::Response;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::{Level, Span};
use utoipa_axum::router::OpenApiRouter;

use crate::auth::TokenError;
use crate::error::problem_response;
use crate::problem::{self, Problem};
use crate::request_id::{self, RequestId};
use crate::{
    ApiConfig, ApiError, AppState, Deps, analytics, audit, auth, classes, content_requests, docs,
    health, idempotency, lessons, limits, openapi, progress, users,
};

/// The HTTP API, bound to its port and ready to serve.
pub struct Application {
    listener: TcpListener,
    port: u16,
    router: Router,
    grace: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("the JWT configuration is unusable")]
    Tokens(#[from] TokenError),
    #[error("cannot listen on {addr}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: io::Error,
    },
}

impl Application {
    /// Build the state and the router, and bind the listener (port 0: any free port).
    pub async fn build(config: ApiConfig, deps: Deps) -> Result<Self, BuildError> {
        let addr = config.listen;
        let grace = config.shutdown_grace();
        let state = AppState::new(config, deps)?;
        let bind = |source| BuildError::Bind { addr, source };
        let listener = TcpListener::bind(addr).await.map_err(bind)?;
        let port = listener.local_addr().map_err(bind)?.port();
        Ok(Self {
            listener,
            port,
            router: app(state),
            grace,
        })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The whole router, e.g. to `oneshot` requests without a socket.
    pub fn router(&self) -> Router {
        self.router.clone()
    }

    /// Serve until `shutdown` completes, then stop accepting connections and let the
    /// requests in flight finish, for at most the configured grace period.
    pub async fn run_until_stopped<F>(self, shutdown: F) -> io::Result<()>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        tracing::info!(port = self.port, "HTTP API listening");
        let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
        let signal = async move {
            shutdown.await;
            let _ = stopping.send(());
        };
        // The peer's address: the client of a rate limit ([`crate::limits`]).
        let router = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let serve = axum::serve(self.listener, router)
            .with_graceful_shutdown(signal)
            .into_future();
        let grace = self.grace;
        let grace_expired = async move {
            // Err: the signal future is gone, so `serve` has finished and wins the select.
            if stopped.await.is_ok() {
                tokio::time::sleep(grace).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            served = serve => served,
            () = grace_expired => {
                tracing::warn!(?grace, "requests still in flight after the shutdown grace; dropping them");
                Ok(())
            }
        }
    }
}

/// The router with all routes and middleware, for a server or for `oneshot` tests.
///
/// Middleware, outermost first: request id (and traceparent) → HTTP metrics → trace span →
/// rate limit, load shedding and request timeout ([`limits`]) → panic → 500 problem →
/// body limit → idempotency fingerprint → routes.
pub fn app(state: AppState) -> Router {
    let (routes, openapi) = OpenApiRouter::with_openapi(openapi::document())
        .merge(auth::router())
        .merge(users::router())
        .merge(lessons::router())
        .merge(classes::router())
        .merge(content_requests::router())
        .merge(progress::router())
        .merge(analytics::router())
        .merge(audit::router())
        .merge(health::router())
        .split_for_parts();
    let body_limit = state.config.body_limit;
    let limits = std::sync::Arc::new(limits::Limits::new(&state.config, state.tokens.clone()));
    routes
        .merge(docs::router(openapi))
        .merge(crate::telemetry::router())
        .fallback(|| async { ApiError::NotFound("no resource at this path".into()) })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            idempotency::fingerprint,
        ))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn_with_state(limits, limits::guard))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(middleware::from_fn(crate::telemetry::track))
        .layer(middleware::from_fn(request_id::propagate))
        .with_state(state)
}

fn request_span(request: &Request) -> Span {
    let id = request
        .extensions()
        .get::<RequestId>()
        .map(|id| id.as_str().to_owned())
        .unwrap_or_default();
    // `request_id::propagate` made sure there is a traceparent (the client's, or a new one).
    let trace_id = crate::command::traceparent(request.headers())
        .and_then(|t| eventstore::trace::TraceParent::parse(&t).map(|p| p.trace_id.to_owned()))
        .unwrap_or_default();
    tracing::info_span!(
        "http",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %id,
        trace_id = %trace_id,
    )
}

fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned());
    tracing::error!(panic = %message, "handler panicked");
    problem_response(&Problem::new(
        problem::INTERNAL,
        "the server failed; the X-Request-Id of this response names it in the logs",
    ))
}
