//! Where `lectern audit` reads history: the database directly (the same reads and time
//! travel the API uses, `api::audit`), or a Lectern server over HTTP with a bearer token
//! (the audit routes, NDJSON for anything long). Both hand out the same [`AuditEvent`]s.

use anyhow::{Context, bail};
use api::audit::history::Pager;
use api::audit::time_travel::{self, AsOf};
use api::audit::{AuditEvent, HEAD_HEADER, StateAsOf, VerifyResult};
use eventstore::{Direction, LogFilter, StreamId, read};
use reqwest::{Client, Method, RequestBuilder, Response, Url};
use serde_json::Value;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use crate::cli::AuditSource;
use crate::db;

/// What `each` says after an event: go on, or stop reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Stop,
}

/// Which events to read.
#[derive(Debug, Clone)]
pub enum Read {
    /// One stream, forward from its first event.
    Stream(StreamId),
    /// The log after a position, filtered, at most `limit` events, up to the head when
    /// the read began.
    Log {
        after: i64,
        filter: LogFilter,
        limit: Option<i64>,
    },
}

pub enum Source {
    Database(PgPool),
    Server(Server),
}

pub struct Server {
    client: Client,
    base: Url,
    token: String,
}

impl Source {
    /// The server when `--server` is given (then `--token` is needed), else the database.
    pub async fn open(source: &AuditSource) -> anyhow::Result<Self> {
        match &source.server {
            Some(server) => {
                let token = source.token.clone().context(
                    "--server needs the access token of an auditor or admin: --token or LECTERN_TOKEN",
                )?;
                let base = Url::parse(server)
                    .with_context(|| format!("--server `{server}` is not a URL"))?;
                // No overall timeout: an export or a verify may take long.
                let client = Client::builder()
                    .connect_timeout(std::time::Duration::from_secs(10))
                    .build()
                    .context("cannot build the HTTP client")?;
                Ok(Self::Server(Server {
                    client,
                    base,
                    token,
                }))
            }
            None => Ok(Self::Database(db::connect(&source.db).await?)),
        }
    }

    /// Read events in order, handing each to `each` with its NDJSON line (without the
    /// newline), until the read is complete, `each` says stop, or `stop` is cancelled.
    /// `head` is told the log's head when it is known (log reads), before the first event.
    pub async fn events(
        &self,
        read: Read,
        stop: &CancellationToken,
        mut head: impl FnMut(i64),
        mut each: impl FnMut(&AuditEvent, &[u8]) -> anyhow::Result<Flow>,
    ) -> anyhow::Result<()> {
        match self {
            Self::Database(pool) => {
                let mut pager = match read {
                    Read::Stream(stream) => {
                        if read::stream_version(pool, stream.as_str()).await?.is_none() {
                            bail!("there is no stream {stream}");
                        }
                        Pager::stream(stream.as_str(), 1, Direction::Forward, None)
                    }
                    Read::Log {
                        after,
                        filter,
                        limit,
                    } => {
                        let until = read::head(pool).await?;
                        head(until);
                        Pager::log(after, until, filter, limit)
                    }
                };
                let mut line = Vec::new();
                loop {
                    let page = tokio::select! {
                        page = pager.next_page(pool) => page.context("reading the log failed")?,
                        () = stop.cancelled() => return Ok(()),
                    };
                    if page.is_empty() {
                        return Ok(());
                    }
                    for event in &page {
                        line.clear();
                        serde_json::to_writer(&mut line, event)?;
                        if each(event, &line)? == Flow::Stop {
                            return Ok(());
                        }
                    }
                }
            }
            Self::Server(server) => {
                let url = match &read {
                    Read::Stream(stream) => {
                        server.url(&format!("/v1/streams/{stream}/events"), &[])
                    }
                    Read::Log {
                        after,
                        filter,
                        limit,
                    } => {
                        let mut query = vec![("after", after.to_string())];
                        if !filter.categories.is_empty() {
                            query.push(("category", filter.categories.join(",")));
                        }
                        if !filter.event_types.is_empty() {
                            query.push(("type", filter.event_types.join(",")));
                        }
                        if let Some(limit) = limit {
                            query.push(("limit", limit.to_string()));
                        }
                        server.url("/v1/log", &query)
                    }
                }?;
                let request = server
                    .request(Method::GET, url)
                    .header("accept", api::audit::ndjson::CONTENT_TYPE);
                let mut response = server.send(request).await?;
                if let Some(at) = response
                    .headers()
                    .get(HEAD_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse().ok())
                {
                    head(at);
                }
                let mut partial: Vec<u8> = Vec::new();
                loop {
                    let chunk = tokio::select! {
                        chunk = response.chunk() => chunk.context("the server's answer broke off")?,
                        () = stop.cancelled() => return Ok(()),
                    };
                    let Some(chunk) = chunk else {
                        if !partial.is_empty() {
                            bail!("the server's answer ended in the middle of a line");
                        }
                        return Ok(());
                    };
                    partial.extend_from_slice(&chunk);
                    let mut start = 0;
                    while let Some(end) = partial[start..].iter().position(|b| *b == b'\n') {
                        let line = &partial[start..start + end];
                        start += end + 1;
                        let event: AuditEvent = serde_json::from_slice(line)
                            .context("the server sent a line that is not an event")?;
                        if each(&event, line)? == Flow::Stop {
                            return Ok(());
                        }
                    }
                    partial.drain(..start);
                }
            }
        }
    }

    /// The aggregate in `stream` as it stood.
    pub async fn state(&self, stream: &StreamId, as_of: AsOf) -> anyhow::Result<StateAsOf> {
        match self {
            Self::Database(pool) => Ok(time_travel::state_as_of(pool, stream, as_of).await?),
            Self::Server(server) => {
                let query = match as_of {
                    AsOf::Version(version) => ("version", version.to_string()),
                    AsOf::Time(at) => ("at", at.to_rfc3339()),
                };
                let url = server.url(&format!("/v1/streams/{stream}/state"), &[query])?;
                let response = server.send(server.request(Method::GET, url)).await?;
                Ok(response
                    .json()
                    .await
                    .context("the server's answer is not a state")?)
            }
        }
    }

    /// Verify the hash chain; `progress(done, total)` in positions (database only).
    pub async fn verify(
        &self,
        from: Option<i64>,
        mut progress: impl FnMut(i64, i64) + Send,
    ) -> anyhow::Result<VerifyResult> {
        match self {
            Self::Database(pool) => {
                let head = read::head(pool).await?;
                let report = eventstore::audit::verify(pool, from, |at| progress(at, head))
                    .await
                    .context("verifying failed")?;
                Ok(report.into())
            }
            Self::Server(server) => {
                let url = server.url("/v1/audit/verify", &[])?;
                let body = serde_json::json!({ "from": from });
                let request = server.request(Method::POST, url).json(&body);
                let response = server.send(request).await?;
                Ok(response
                    .json()
                    .await
                    .context("the server's answer is not a report")?)
            }
        }
    }
}

impl Server {
    fn url(&self, path: &str, query: &[(&str, String)]) -> anyhow::Result<Url> {
        let mut url = self
            .base
            .join(path)
            .with_context(|| format!("cannot make a URL of {path}"))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    fn request(&self, method: Method, url: Url) -> RequestBuilder {
        self.client.request(method, url).bearer_auth(&self.token)
    }

    /// Send; a non-2xx answer becomes an error with the problem's detail.
    async fn send(&self, request: RequestBuilder) -> anyhow::Result<Response> {
        let response = request
            .send()
            .await
            .with_context(|| format!("cannot reach the server at {}", self.base))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let body = response.text().await.unwrap_or_default();
        let detail = serde_json::from_str::<Value>(&body)
            .ok()
            .and_then(|problem| problem["detail"].as_str().map(str::to_owned))
            .unwrap_or(body);
        bail!("the server answered {status}: {detail}")
    }
}
