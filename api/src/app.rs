//! The application: the router with its middleware ([`app`]), and [`Application`], which
//! binds it to a port and serves it until told to stop.

use std::any::Any;
use std::future::Future;
use std::io;
use std::net::SocketAddr;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware;
use axum::response::Response;
use eventstore::trace::{self, TraceParent};
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::{Level, Span};
use utoipa_axum::router::OpenApiRouter;

use crate::auth::TokenError;
use crate::error::problem_response;
use crate::problem::{self, Problem};
use crate::request_id::{self, NewTrace, RequestId};
use crate::serve::ConnectionLimits;
use crate::{
    ApiConfig, ApiError, AppState, Deps, analytics, audit, classes, content_requests, docs, health,
    idempotency, lessons, limits, live, openapi, progress, sign_in, users,
};

/// The HTTP API, bound to its port and ready to serve.
pub struct Application {
    listener: TcpListener,
    live: std::sync::Arc<live::LiveHub>,
    port: u16,
    router: Router,
    limits: ConnectionLimits,
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
        Self::build_with(config, deps, Router::new()).await
    }

    /// [`Self::build`], serving `pages` too (the web app's routes) beside the API's, under
    /// the same middleware.
    pub async fn build_with(
        config: ApiConfig,
        deps: Deps,
        pages: Router<AppState>,
    ) -> Result<Self, BuildError> {
        let addr = config.listen;
        let limits = ConnectionLimits {
            header_read_timeout: config.header_read_timeout(),
            shutdown_grace: config.shutdown_grace(),
        };
        let state = AppState::new(config, deps)?;
        let bind = |source| BuildError::Bind { addr, source };
        let listener = TcpListener::bind(addr).await.map_err(bind)?;
        let port = listener.local_addr().map_err(bind)?.port();
        Ok(Self {
            listener,
            live: state.live.clone(),
            port,
            router: app_with(state, pages),
            limits,
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
    /// requests in flight finish, for at most the configured grace period
    /// ([`crate::serve`], which also bounds how long a client may take to send a request's
    /// head).
    pub async fn run_until_stopped<F>(self, shutdown: F) -> io::Result<()>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        tracing::info!(port = self.port, "HTTP API listening");
        // Live feeds end as shutdown begins (each with a `shutdown` message), so that they
        // do not hold the drain up for the whole grace period.
        let live = self.live;
        let shutdown = async move {
            shutdown.await;
            live.stop();
        };
        crate::serve::serve(self.listener, self.router, self.limits, shutdown).await;
        Ok(())
    }
}

/// The router with all routes and middleware, for a server or for `oneshot` tests.
///
/// Middleware, outermost first: request id (and traceparent) → HTTP metrics → trace span →
/// rate limit, load shedding and request timeout ([`limits`]) → panic → 500 problem →
/// body limit → idempotency fingerprint → routes.
pub fn app(state: AppState) -> Router {
    app_with(state, Router::new())
}

/// [`app`], with `pages` (the web app's routes) merged in under the same middleware.
pub fn app_with(state: AppState, pages: Router<AppState>) -> Router {
    let (routes, openapi) = OpenApiRouter::with_openapi(openapi::document())
        .merge(sign_in::router())
        .merge(users::router())
        .merge(lessons::router())
        .merge(classes::router())
        .merge(content_requests::router())
        .merge(progress::router())
        .merge(analytics::router())
        .merge(audit::router())
        .merge(live::router())
        .merge(health::router())
        .split_for_parts();
    let body_limit = state.config.body_limit;
    let limits = std::sync::Arc::new(limits::Limits::new(&state.config, state.tokens.clone()));
    routes
        .merge(docs::router(openapi))
        .merge(crate::telemetry::router())
        .merge(pages)
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
    // Exported, a request that came without one is the root of a trace of the tracer's.
    let new_trace = trace::is_traced() && request.extensions().get::<NewTrace>().is_some();
    let header = request_id::traceparent(request.headers()).filter(|_| !new_trace);
    let parent = header.as_deref().and_then(TraceParent::parse);
    let span = tracing::info_span!(
        "http",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %id,
        // None: recorded below, once the tracer has given the span its trace.
        trace_id = parent.map(|p| p.trace_id),
    );
    match &parent {
        // Exported, this span is the caller's span's child: same trace.
        Some(parent) => trace::set_parent(&span, parent),
        None => {
            let own = trace::traceparent_of(&span);
            if let Some(own) = own.as_deref().and_then(TraceParent::parse) {
                span.record("trace_id", own.trace_id);
            }
        }
    }
    span
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
