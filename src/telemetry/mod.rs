//! Logs, traces and metrics of the process: the tracing subscriber (`--log-format
//! pretty|json`), span export over OTLP when `OTEL_EXPORTER_OTLP_ENDPOINT` is set
//! ([`otlp`]), the Prometheus recorder (installed once; the API serves it at `/metrics`, a
//! worker role at `--metrics-addr`), and the sampling of the database pool.
//!
//! Spans carry the ids that tie the pipeline together: the HTTP request's span has
//! `request_id` (the events' correlation id) and `trace_id`; a worker's span around one
//! event (`eventstore::trace::event_span`) has the event's `trace_id`, `parent_span_id` and
//! `correlation_id`. Both formats print the fields of the spans a line was logged in.
//! Exported, those spans form one trace: request → relay publish / worker event.

mod otlp;

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Duration;

use clap::ValueEnum;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use tracing_subscriber::Layer as _;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// How log lines look.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One human-readable line per event, with its spans' fields.
    #[default]
    Pretty,
    /// One JSON object per line, with the current span and the span list (their fields).
    Json,
}

/// How often the pool is sampled (and the recorder's upkeep runs).
const SAMPLE_EVERY: Duration = Duration::from_secs(5);

/// Gauge, label `state` (`in_use`, `idle`): the connections of the process's pool.
pub const DB_POOL_CONNECTIONS: &str = "lectern_db_pool_connections";

/// The variable that filters the exported spans (`EnvFilter` directives, default `info`);
/// `RUST_LOG` filters the logs alone.
pub const TRACE_FILTER: &str = "LECTERN_TRACE_FILTER";

/// What [`init`] started that must be stopped at exit.
#[derive(Debug)]
pub struct Telemetry {
    export: Option<otlp::Export>,
}

impl Telemetry {
    /// Send the spans still queued for the collector (when exporting); call it once the
    /// role has stopped.
    pub async fn shutdown(self) {
        if let Some(export) = self.export {
            export.shutdown().await;
        }
    }
}

/// Install the global tracing subscriber: logs to stderr filtered by `RUST_LOG` (default
/// `info`), and the OTLP export of spans when its variables ask for it (service
/// `lectern-<role>`), filtered apart by `LECTERN_TRACE_FILTER` (same syntax, default
/// `info`), so quiet logs still export whole traces. Fails only on an unusable
/// configuration (e.g. `OTEL_EXPORTER_OTLP_PROTOCOL=grpc`, or a filter that does not parse).
pub fn init(format: LogFormat, role: &str) -> anyhow::Result<Telemetry> {
    // Without RUST_LOG: info, minus the notices PostgreSQL sends on every migration run
    // ("relation _sqlx_migrations already exists").
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx::postgres::notice=warn".into());
    let trace_filter = match std::env::var(TRACE_FILTER) {
        Ok(directives) if !directives.trim().is_empty() => {
            tracing_subscriber::EnvFilter::try_new(&directives)
                .map_err(|error| anyhow::anyhow!("{TRACE_FILTER}={directives:?}: {error}"))?
        }
        _ => tracing_subscriber::EnvFilter::new("info"),
    };
    let logs = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let logs = match format {
        LogFormat::Pretty => logs.boxed(),
        LogFormat::Json => logs
            .json()
            .with_current_span(true)
            .with_span_list(true)
            .boxed(),
    };
    let export = otlp::start(role)?;
    let spans = export.as_ref().map(|export| {
        tracing_opentelemetry::layer()
            .with_tracer(export.tracer())
            .with_filter(trace_filter)
    });
    tracing_subscriber::registry()
        .with(logs.with_filter(filter))
        .with(spans)
        .init();
    Ok(Telemetry { export })
}

/// The process's Prometheus recorder, installed on first use, and exposed to the API's
/// `/metrics` ([`api::telemetry::expose`]).
pub fn recorder() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let handle = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Suffix("_seconds".to_owned()),
                &[
                    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
                    30.0, 60.0,
                ],
            )
            .and_then(|b| {
                b.set_buckets_for_metric(
                    Matcher::Prefix("lectern_append_batch_".to_owned()),
                    &[
                        1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0,
                    ],
                )
            })
            .expect("the bucket lists are not empty")
            .install_recorder()
            .expect("the metrics recorder is installed once");
        let render = handle.clone();
        api::telemetry::expose(move || render.render());
        handle
    })
}

/// Sample `pool` (connections in use and idle) every few seconds, and run the recorder's
/// upkeep, until the process ends.
pub fn sample_pool(pool: &PgPool) {
    let pool = pool.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(SAMPLE_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            record_pool(&pool);
            recorder().run_upkeep();
        }
    });
}

/// One sample of `pool`: its open connections, in use and idle.
fn record_pool(pool: &PgPool) {
    let size = pool.size() as f64;
    let idle = pool.num_idle() as f64;
    metrics::gauge!(DB_POOL_CONNECTIONS, "state" => "in_use").set((size - idle).max(0.0));
    metrics::gauge!(DB_POOL_CONNECTIONS, "state" => "idle").set(idle);
}

/// A worker role's `--metrics-addr`: serve `/metrics` there until `shutdown`.
pub fn serve_metrics(addr: Option<SocketAddr>, shutdown: &CancellationToken) {
    let Some(addr) = addr else { return };
    let shutdown = shutdown.clone();
    tokio::spawn(async move {
        if let Err(error) = api::telemetry::serve(addr, shutdown.cancelled_owned()).await {
            tracing::error!(%addr, %error, "cannot serve metrics");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool_gauge(state: &str) -> Option<f64> {
        testkit::metrics::sample(
            &recorder().render(),
            DB_POOL_CONNECTIONS,
            &[("state", state)],
        )
    }

    #[tokio::test]
    async fn the_pool_gauge_counts_connections_in_use_and_idle() -> anyhow::Result<()> {
        recorder();
        let db = testkit::TestDb::create().await?;
        let pool = db.new_pool(4).await?;
        let held = pool.acquire().await?;
        let released = pool.acquire().await?;
        drop(released);
        // The released connection goes back to the idle set asynchronously.
        for _ in 0..100 {
            if pool.num_idle() == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }

        record_pool(&pool);
        assert_eq!(pool_gauge("in_use"), Some(1.0));
        assert_eq!(pool_gauge("idle"), Some(1.0));

        drop(held);
        for _ in 0..100 {
            if pool.num_idle() == 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        record_pool(&pool);
        assert_eq!(pool_gauge("in_use"), Some(0.0));
        assert_eq!(pool_gauge("idle"), Some(2.0));
        Ok(())
    }
}
