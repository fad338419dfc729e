//! The HTTP server under the router: accept TCP connections and serve HTTP/1.1 and h2c on
//! them with hyper, until told to stop.
//!
//! This replaces `axum::serve`, which sets no header read timeout: a client that opened a
//! connection and sent its request head byte by byte, or never finished it (slowloris),
//! held a connection and a task forever. Here:
//!
//! - HTTP/1 request heads must arrive within [`ConnectionLimits::header_read_timeout`]
//!   (hyper's own timer), the first request's and every later one's, so an idle keep-alive
//!   connection is closed after that long too.
//! - A connection whose first request is not complete within the same bound is closed,
//!   whatever the protocol: hyper's timer does not cover the bytes read to tell HTTP/1
//!   from the h2c preface, nor an h2c connection's first stream.
//! - Each request carries [`ConnectInfo<SocketAddr>`] (the rate limit's client,
//!   [`crate::limits`]).
//! - Shutdown: stop accepting, let requests in flight finish for at most
//!   [`ConnectionLimits::shutdown_grace`], then drop them.
//! - `TCP_NODELAY` on every connection: a response's writes (a live feed's messages, a
//!   chunked body's chunks) are sent when written, not held for the peer's ACK.
//! - Accept errors (e.g. `EMFILE`) are logged and retried after a second, as axum does;
//!   the server never ends on one.
//!
//! Not bounded here: request bodies and handlers ([`crate::limits`]'s request timeout), and
//! how long an h2c connection that has sent a request stays open (hyper has no idle
//! timeout for HTTP/2).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tower::ServiceExt;

/// How long to wait before accepting again after an accept error such as `EMFILE` (too
/// many open files): by then some connections may have closed.
const ACCEPT_RETRY: Duration = Duration::from_secs(1);

/// How long a server's clients may take.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Longest a client may take to send a request's head (request line and headers), and
    /// longest an HTTP/1 keep-alive connection may stay idle; then it is closed.
    pub header_read_timeout: Duration,
    /// After shutdown starts, how long requests in flight may finish before they are
    /// dropped.
    pub shutdown_grace: Duration,
}

/// Serve `router` on `listener` until `shutdown` completes, then drain (see the module).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let builder = Arc::new(builder);
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            // Reap finished connections so the set does not grow with every one served.
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    if !is_connection_error(&error) {
                        tracing::error!(%error, "cannot accept a connection; retrying");
                        tokio::select! {
                            () = &mut shutdown => break,
                            () = tokio::time::sleep(ACCEPT_RETRY) => {}
                        }
                    }
                    continue;
                }
            },
        };
        let connection = Connection {
            stream,
            peer,
            router: router.clone(),
            builder: builder.clone(),
            header_read_timeout: limits.header_read_timeout,
        };
        let watcher = graceful.watcher();
        connections.spawn(connection.serve(watcher));
    }
    drop(listener);
    tracing::debug!(
        connections = connections.len(),
        "stopped accepting; draining"
    );
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            grace = ?limits.shutdown_grace,
            "requests still in flight after the shutdown grace; dropping them"
        );
    }
    // Abort the connections still open (their requests are dropped) and wait for them.
    connections.shutdown().await;
}

/// A peer resetting or aborting before we accepted it: nothing to wait for.
fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// One accepted connection, before it is served.
struct Connection {
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    builder: Arc<Builder<TokioExecutor>>,
    header_read_timeout: Duration,
}

impl Connection {
    async fn serve(self, watcher: Watcher) {
        let Self {
            stream,
            peer,
            router,
            builder,
            header_read_timeout,
        } = self;
        // Each write goes out at once: with Nagle's algorithm a live feed's second small
        // message waited for the client's delayed ACK of the first (~40 ms on Linux).
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%peer, %error, "cannot set TCP_NODELAY");
        }
        // Told of every request whose head has arrived (a permit is kept until awaited).
        let request_arrived = Arc::new(Notify::new());
        let service = {
            let request_arrived = request_arrived.clone();
            service_fn(move |mut request: hyper::Request<Incoming>| {
                request_arrived.notify_one();
                request.extensions_mut().insert(ConnectInfo(peer));
                router.clone().oneshot(request)
            })
        };
        let served =
            watcher.watch(builder.serve_connection_with_upgrades(TokioIo::new(stream), service));
        let first_request_late = async {
            if tokio::time::timeout(header_read_timeout, request_arrived.notified())
                .await
                .is_ok()
            {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            served = served => {
                if let Err(error) = served {
                    // Clients closing early, header read timeouts, malformed requests.
                    tracing::debug!(%peer, %error, "connection ended with an error");
                }
            }
            () = first_request_late => {
                tracing::debug!(
                    %peer,
                    timeout = ?header_read_timeout,
                    "no request within the header read timeout; closing"
                );
            }
        }
    }
}
