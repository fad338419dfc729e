//! `lectern bench http`: the lesson lifecycle over HTTP on loopback (a real server on a
//! port of its own, real JSON, real tokens), beside the same lifecycle through the commands
//! crate on the same database in the same run, and the ratio.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use api::auth::{TokenKeys, TokenType};
use api::{ApiConfig, Application, Deps};
use commands::CommandRunner;
use domain::Role;
use eventstore::EventStore;
use serde::Serialize;
use serde_json::json;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::latency::Latencies;
use super::lifecycle;
use super::scratch::ScratchDb;
use crate::cli::BenchHttp;

#[derive(Debug, Serialize)]
struct Report {
    concurrency: usize,
    lessons: usize,
    commands: usize,
    http_commands_per_sec: f64,
    http_p50_ms: f64,
    http_p99_ms: f64,
    library_commands_per_sec: f64,
    ratio_to_library: f64,
}

pub async fn run(args: &BenchHttp) -> anyhow::Result<()> {
    let report = ScratchDb::measure_in(&args.db.url()?, async |scratch| {
        measure(args, scratch).await
    })
    .await?;
    super::print(args.json, &report, print_table)
}

fn print_table(r: &Report) {
    println!(
        "bench http: lesson lifecycle ({} commands per lesson), concurrency {}",
        lifecycle::COMMANDS_PER_LESSON,
        r.concurrency
    );
    println!("{:<28} {:>12}", "commands (each side)", r.commands);
    println!(
        "{:<28} {:>12.0}",
        "HTTP commands/s", r.http_commands_per_sec
    );
    println!("{:<28} {:>12.2}", "HTTP p50 ms", r.http_p50_ms);
    println!("{:<28} {:>12.2}", "HTTP p99 ms", r.http_p99_ms);
    println!(
        "{:<28} {:>12.0}",
        "library commands/s", r.library_commands_per_sec
    );
    println!("{:<28} {:>12.2}", "ratio to library", r.ratio_to_library);
}

async fn measure(args: &BenchHttp, scratch: &ScratchDb) -> anyhow::Result<Report> {
    let store = EventStore::start(scratch.pool(32).await?).await?;
    let commands = args.lessons * lifecycle::COMMANDS_PER_LESSON;

    let started = Instant::now();
    lifecycle::run(
        Arc::new(CommandRunner::new(store.clone())),
        args.lessons,
        args.concurrency,
    )
    .await?;
    let library = commands as f64 / started.elapsed().as_secs_f64();

    let secret = format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple());
    let mut config = ApiConfig::with_secret(secret.clone());
    config.listen = "127.0.0.1:0".parse()?;
    let keys = TokenKeys::from_secret(
        secret.as_bytes(),
        config.access_token_ttl(),
        config.refresh_token_ttl(),
    )?;
    let app = Application::build(config, Deps { store, nats: None }).await?;
    let base = format!("http://127.0.0.1:{}", app.port());
    let stop = CancellationToken::new();
    let server = tokio::spawn(app.run_until_stopped(stop.clone().cancelled_owned()));

    let admin = keys.issue(Uuid::now_v7(), Role::Admin, TokenType::Access)?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut clients = tokio::task::JoinSet::new();
    for _ in 0..args.concurrency.max(1) {
        let teacher = keys.issue(Uuid::now_v7(), Role::Teacher, TokenType::Access)?;
        let lifecycle = Lifecycle {
            client: client.clone(),
            base: base.clone(),
            teacher,
            admin: admin.clone(),
        };
        let (next, total) = (next.clone(), args.lessons);
        clients.spawn(async move {
            let mut latencies = Latencies::new();
            while next.fetch_add(1, Ordering::Relaxed) < total {
                lifecycle.run(&mut latencies).await?;
            }
            Ok::<_, anyhow::Error>(latencies)
        });
    }
    let mut latencies = Latencies::new();
    while let Some(done) = clients.join_next().await {
        latencies.merge(&done??);
    }
    let http = commands as f64 / started.elapsed().as_secs_f64();
    stop.cancel();
    server.await??;
    Ok(Report {
        concurrency: args.concurrency,
        lessons: args.lessons,
        commands,
        http_commands_per_sec: http,
        http_p50_ms: latencies.percentile_ms(0.50),
        http_p99_ms: latencies.percentile_ms(0.99),
        library_commands_per_sec: library,
        ratio_to_library: http / library,
    })
}

/// One client: a teacher drafting, revising and submitting; an admin approving and
/// publishing.
struct Lifecycle {
    client: reqwest::Client,
    base: String,
    teacher: String,
    admin: String,
}

impl Lifecycle {
    async fn run(&self, latencies: &mut Latencies) -> anyhow::Result<()> {
        let draft = json!({
            "title": "Photosynthesis", "description": "How plants turn light into food",
            "subject": "Science", "grade_level": 7, "content": {}
        });
        let created: serde_json::Value = self
            .send(
                "POST",
                "/v1/lessons".into(),
                Some(draft),
                &self.teacher,
                latencies,
            )
            .await?;
        let stream = created["stream_id"]
            .as_str()
            .context("no stream_id in the response")?;
        let id = stream.trim_start_matches("lesson-").to_owned();
        for n in 1..=3 {
            let revise = json!({ "title": format!("Photosynthesis, revision {n}") });
            self.send(
                "PATCH",
                format!("/v1/lessons/{id}"),
                Some(revise),
                &self.teacher,
                latencies,
            )
            .await?;
        }
        self.send(
            "POST",
            format!("/v1/lessons/{id}/submit"),
            None,
            &self.teacher,
            latencies,
        )
        .await?;
        self.send(
            "POST",
            format!("/v1/lessons/{id}/approve"),
            None,
            &self.admin,
            latencies,
        )
        .await?;
        self.send(
            "POST",
            format!("/v1/lessons/{id}/publish"),
            None,
            &self.admin,
            latencies,
        )
        .await?;
        Ok(())
    }

    async fn send(
        &self,
        method: &str,
        path: String,
        body: Option<serde_json::Value>,
        token: &str,
        latencies: &mut Latencies,
    ) -> anyhow::Result<serde_json::Value> {
        let method = reqwest::Method::from_bytes(method.as_bytes())?;
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let sent = Instant::now();
        let response = request.send().await?;
        let status = response.status();
        let body: serde_json::Value = response.json().await.unwrap_or_default();
        latencies.record(sent.elapsed());
        if !status.is_success() {
            bail!("{path} answered {status}: {body}");
        }
        Ok(body)
    }
}
