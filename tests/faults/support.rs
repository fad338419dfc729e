//! What the fault tests share: the `lectern` binary as a child process that can be killed
//! and restarted, an HTTP client that records every answer, a load of lesson commands with
//! `Idempotency-Key`s, and the oracles (the store holds every acknowledged command exactly
//! once, JetStream holds the log exactly once in position order, each read model equals a
//! fresh rebuild).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, bail, ensure};
use api::auth::{TokenKeys, TokenType};
use async_nats::jetstream;
use domain::Role;
use futures::StreamExt;
use projections::Projection;
use reqwest::Method;
use serde_json::{Value, json};
use sqlx::PgPool;
use tokio::process::{Child, Command};
use tokio::task::JoinSet;
use tokio::time::Instant;
use uuid::Uuid;

/// The default for "eventually": generous, for a loaded 2-core machine.
pub const EVENTUALLY: Duration = Duration::from_secs(120);

/// A JWT secret every test's server shares with its clients (tokens are minted here).
const SECRET: &str = "fault-tests-secret-of-at-least-thirty-two-bytes";

/// `true` with `LECTERN_FAULTS_LONG=1`: more kills, longer outages.
pub fn long_mode() -> bool {
    std::env::var("LECTERN_FAULTS_LONG").is_ok_and(|v| v == "1")
}

/// A cheap random number (tests need no reproducible sequence, only spread).
pub fn random(below: u64) -> u64 {
    (Uuid::new_v4().as_u128() % u128::from(below.max(1))) as u64
}

/// A free TCP port on loopback (bound, then released for the child to take).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// `DATABASE_URL` with another database name.
pub fn database_url(name: &str) -> String {
    let mut url = reqwest::Url::parse(&std::env::var("DATABASE_URL").expect("DATABASE_URL"))
        .expect("DATABASE_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

/// Wait until `check` holds, at most `within`.
pub async fn eventually(
    what: &str,
    within: Duration,
    mut check: impl AsyncFnMut() -> anyhow::Result<bool>,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + within;
    loop {
        match check().await {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            Err(error) if Instant::now() >= deadline => return Err(error),
            Err(_) => {}
        }
        if Instant::now() >= deadline {
            bail!("timed out after {within:?} waiting until {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Where a `lectern` process finds its database and bus.
#[derive(Debug, Clone)]
pub struct Env {
    pub database_url: String,
    pub nats_url: String,
    pub stream: String,
    pub prefix: String,
}

impl Env {
    /// A stream and subject prefix of this test's own on `nats_url`.
    pub fn new(database_url: String, nats_url: String) -> Self {
        let prefix = testkit::unique_prefix();
        Self {
            database_url,
            nats_url,
            stream: prefix.to_uppercase(),
            prefix,
        }
    }
}

/// The `lectern` binary as a child process: started, killed, restarted on the same port;
/// everything it prints goes to one log file, shown when a test fails.
pub struct Lectern {
    env: Env,
    args: Vec<String>,
    pub port: u16,
    child: Option<Child>,
    dir: tempfile::TempDir,
    pub starts: usize,
}

impl Lectern {
    /// `lectern dev` (every role in one process) with `extra` arguments; not started yet.
    pub fn dev(env: &Env, extra: &[&str]) -> Self {
        let port = free_port();
        let mut args = vec!["dev".to_owned(), "--listen".to_owned()];
        args.push(format!("127.0.0.1:{port}"));
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        Self {
            env: env.clone(),
            args,
            port,
            child: None,
            dir: tempfile::tempdir().expect("a temp dir"),
            starts: 0,
        }
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("lectern.log")
    }

    /// Start the process and wait until it answers `/health/live`.
    pub async fn start(&mut self) -> anyhow::Result<()> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())?;
        let child = Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(&self.args)
            .env("DATABASE_URL", &self.env.database_url)
            .env("NATS_URL", &self.env.nats_url)
            .env("LECTERN_STREAM", &self.env.stream)
            .env("LECTERN_SUBJECT_PREFIX", &self.env.prefix)
            .env("LECTERN_JWT_SECRET", SECRET)
            .env("LECTERN_HOME", self.dir.path())
            .env(
                "RUST_LOG",
                std::env::var("LECTERN_FAULTS_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .context("cannot start lectern")?;
        self.child = Some(child);
        self.starts += 1;
        let client = Api::new(self.base()).client;
        let url = format!("{}/health/live", self.base());
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                bail!("lectern exited at start ({status}):\n{}", self.log_tail());
            }
            let answered = client.get(&url).send().await;
            if answered.is_ok_and(|response| response.status().is_success()) {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("lectern did not answer within 60 s:\n{}", self.log_tail());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: no shutdown, nothing flushed.
    pub async fn kill(&mut self) -> anyhow::Result<()> {
        if let Some(mut child) = self.child.take() {
            child.start_kill()?;
            child.wait().await?;
        }
        Ok(())
    }

    /// SIGTERM, and wait for a clean exit.
    pub async fn stop(&mut self) -> anyhow::Result<()> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        if let Some(pid) = child.id() {
            std::process::Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status()?;
        }
        let status = tokio::time::timeout(Duration::from_secs(60), child.wait())
            .await
            .context("lectern did not stop within 60 s of SIGTERM")??;
        ensure!(
            status.success(),
            "lectern exited with {status}:\n{}",
            self.log_tail()
        );
        Ok(())
    }

    /// Is the process still the one started last (not exited)?
    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    /// The last lines the process printed (all its runs).
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(self.log_path()).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(60)..].join("\n")
    }

    /// `lectern projections rebuild --all` against this process's database.
    pub async fn rebuild_all(&self) -> anyhow::Result<()> {
        let output = Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(["projections", "rebuild", "--all"])
            .env("DATABASE_URL", &self.env.database_url)
            .env("RUST_LOG", "warn")
            .output()
            .await?;
        ensure!(
            output.status.success(),
            "rebuild failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        Ok(())
    }
}

/// A token of `role` for a fresh user id, signed with the servers' secret.
pub fn token(role: Role) -> (Uuid, String) {
    let keys = TokenKeys::from_secret(
        SECRET.as_bytes(),
        Duration::from_secs(3600),
        Duration::from_secs(3600),
    )
    .expect("keys");
    let id = Uuid::now_v7();
    let token = keys
        .issue(id, role, TokenType::Access)
        .expect("a signed token");
    (id, token)
}

/// One HTTP answer, with how long it took.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub retry_after: Option<String>,
    pub elapsed: Duration,
}

impl Answer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The event ids of a command's answer.
    pub fn event_ids(&self) -> Vec<Uuid> {
        self.body["event_ids"]
            .as_array()
            .map(|ids| {
                ids.iter()
                    .filter_map(|id| id.as_str()?.parse().ok())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// An HTTP client of one server.
#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub client: reqwest::Client,
}

impl Api {
    pub fn new(base: String) -> Self {
        // reqwest's TLS (unused here: plain HTTP on loopback) needs a provider chosen, as
        // in the binary.
        agents::provider::install_crypto_provider();
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(2))
            .timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(0)
            .build()
            .expect("an HTTP client");
        Self { base, client }
    }

    /// Send one request; `Err` when no answer came (refused, reset, timed out).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<&Value>,
        headers: &[(&str, String)],
    ) -> Result<Answer, reqwest::Error> {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let sent = Instant::now();
        let response = request.send().await?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response.bytes().await?;
        Ok(Answer {
            status,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            retry_after,
            elapsed: sent.elapsed(),
        })
    }

    /// GET as `token`, expecting 200.
    pub async fn get(&self, path: &str, token: &str) -> anyhow::Result<Value> {
        let answer = self.send(Method::GET, path, token, None, &[]).await?;
        ensure!(answer.status == 200, "GET {path}: {answer:?}");
        Ok(answer.body)
    }
}

/// A command the load sends, by its `Idempotency-Key`.
#[derive(Debug, Clone)]
pub struct Sent {
    pub key: String,
    pub method: Method,
    pub path: String,
    pub body: Value,
}

/// Everything the load saw: per key, every answer (a retried key may get several).
#[derive(Default)]
pub struct Record {
    pub answers: HashMap<String, Vec<Answer>>,
    /// Requests that got no answer at all (the process was down or killed).
    pub unanswered: usize,
}

/// Several teachers drafting and revising lessons over HTTP until told to stop, each
/// command with an `Idempotency-Key` and retried with the same key until it gets a 2xx
/// (after a connection error, or an answer `retry` accepts).
pub struct Load {
    stop: Arc<AtomicBool>,
    tasks: JoinSet<anyhow::Result<()>>,
    pub record: Arc<Mutex<Record>>,
}

impl Load {
    /// `clients` teachers against `api`; answers other than 2xx that `retry(status)`
    /// accepts are retried, any other fails the load.
    pub fn start(api: &Api, clients: usize, retry: fn(u16) -> bool) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let record = Arc::new(Mutex::new(Record::default()));
        let mut tasks = JoinSet::new();
        for client in 0..clients {
            let (api, stop, record) = (api.clone(), stop.clone(), record.clone());
            tasks.spawn(teacher(api, client, stop, record, retry));
        }
        Self {
            stop,
            tasks,
            record,
        }
    }

    /// Stop issuing new commands; every command in flight is retried to its 2xx first.
    pub async fn finish(mut self) -> anyhow::Result<Record> {
        self.stop.store(true, Ordering::SeqCst);
        while let Some(done) = self.tasks.join_next().await {
            done??;
        }
        let record = std::mem::take(&mut *self.record.lock().unwrap());
        Ok(record)
    }

    /// Commands that got a 2xx so far.
    pub fn acknowledged(&self) -> usize {
        let record = self.record.lock().unwrap();
        record
            .answers
            .values()
            .filter(|answers| answers.iter().any(Answer::ok))
            .count()
    }
}

async fn teacher(
    api: Api,
    client: usize,
    stop: Arc<AtomicBool>,
    record: Arc<Mutex<Record>>,
    retry: fn(u16) -> bool,
) -> anyhow::Result<()> {
    let (_, token) = token(Role::Teacher);
    let mut lessons: Vec<Uuid> = Vec::new();
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) {
        n += 1;
        let key = format!("teacher-{client}-command-{n}");
        let sent = if lessons.is_empty() || random(4) == 0 {
            let id = Uuid::now_v7();
            lessons.push(id);
            Sent {
                key,
                method: Method::POST,
                path: "/v1/lessons".into(),
                body: json!({
                    "lesson_id": id, "title": format!("Lesson {client}.{n}"),
                    "description": "Under fire", "subject": "Science", "grade_level": 7,
                    "content": { "n": n }
                }),
            }
        } else {
            let id = lessons[random(lessons.len() as u64) as usize];
            Sent {
                key,
                method: Method::PATCH,
                path: format!("/v1/lessons/{id}"),
                body: json!({ "title": format!("Revision {client}.{n}") }),
            }
        };
        until_acknowledged(&api, &token, &sent, &record, retry).await?;
    }
    Ok(())
}

/// Send `sent` (with its key) until it gets a 2xx, recording every answer.
async fn until_acknowledged(
    api: &Api,
    token: &str,
    sent: &Sent,
    record: &Mutex<Record>,
    retry: fn(u16) -> bool,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + EVENTUALLY;
    loop {
        let answer = api
            .send(
                sent.method.clone(),
                &sent.path,
                token,
                Some(&sent.body),
                &[("idempotency-key", sent.key.clone())],
            )
            .await;
        match answer {
            Ok(answer) => {
                let (ok, status) = (answer.ok(), answer.status);
                let body = answer.body.clone();
                record
                    .lock()
                    .unwrap()
                    .answers
                    .entry(sent.key.clone())
                    .or_default()
                    .push(answer);
                if ok {
                    return Ok(());
                }
                ensure!(
                    retry(status),
                    "{} {} ({}) answered {status}: {body}",
                    sent.method,
                    sent.path,
                    sent.key
                );
            }
            Err(_) => record.lock().unwrap().unanswered += 1,
        }
        ensure!(
            Instant::now() < deadline,
            "{} never got a 2xx within {EVENTUALLY:?}",
            sent.key
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The store holds every acknowledged command exactly once and nothing else of the load:
/// each key's 2xx answers agree, their events are in the log once each (on the stream and
/// at the version answered), the lesson events in the log are exactly those, and positions
/// and stream versions are dense.
pub async fn assert_store_has_each_acknowledged_command_once(
    pool: &PgPool,
    record: &Record,
) -> anyhow::Result<()> {
    let mut acknowledged: BTreeMap<Uuid, (String, i64)> = BTreeMap::new();
    for (key, answers) in &record.answers {
        let oks: Vec<&Answer> = answers.iter().filter(|a| a.ok()).collect();
        ensure!(!oks.is_empty(), "{key} never got a 2xx: {answers:?}");
        let first = &oks[0].body;
        for other in &oks[1..] {
            ensure!(
                other.body["event_ids"] == first["event_ids"]
                    && other.body["version"] == first["version"],
                "{key} was answered differently: {first} vs {}",
                other.body
            );
        }
        let ids = oks[0].event_ids();
        ensure!(ids.len() == 1, "{key}: one event per command: {first}");
        let stream = first["stream_id"].as_str().context("stream_id")?.to_owned();
        let version = first["version"].as_i64().context("version")?;
        ensure!(
            acknowledged.insert(ids[0], (stream, version)).is_none(),
            "two keys answered with one event id"
        );
    }
    let logged: Vec<(Uuid, String, i64)> = sqlx::query_as(
        "SELECT event_id, stream_id, stream_version FROM es.events
          WHERE category = 'lesson' ORDER BY position",
    )
    .fetch_all(pool)
    .await?;
    let logged_ids: BTreeSet<Uuid> = logged.iter().map(|(id, ..)| *id).collect();
    ensure!(
        logged_ids.len() == logged.len(),
        "an event id twice in the log"
    );
    let missing: Vec<_> = acknowledged
        .keys()
        .filter(|id| !logged_ids.contains(id))
        .collect();
    ensure!(
        missing.is_empty(),
        "acknowledged but not in the log: {missing:?}"
    );
    let extra: Vec<_> = logged
        .iter()
        .filter(|(id, ..)| !acknowledged.contains_key(id))
        .collect();
    ensure!(
        extra.is_empty(),
        "in the log but never acknowledged (a duplicate of a retried command?): {extra:?}"
    );
    for (id, stream, version) in &logged {
        ensure!(
            acknowledged[id] == (stream.clone(), *version),
            "event {id} is at {stream}@{version}, answered {:?}",
            acknowledged[id]
        );
    }
    assert_log_is_dense(pool).await
}

/// Positions 1..=head with no holes, and every stream's versions 1..=n.
pub async fn assert_log_is_dense(pool: &PgPool) -> anyhow::Result<()> {
    let (count, max, head): (i64, Option<i64>, i64) = sqlx::query_as(
        "SELECT count(*), max(position), (SELECT position FROM es.log_head) FROM es.events",
    )
    .fetch_one(pool)
    .await?;
    ensure!(
        count == max.unwrap_or(0) && count == head,
        "positions are not dense: {count} events, max {max:?}, head {head}"
    );
    let holes: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT stream_id FROM es.events GROUP BY stream_id
                                HAVING count(*) <> max(stream_version)) s",
    )
    .fetch_one(pool)
    .await?;
    ensure!(holes == 0, "{holes} streams have holes in their versions");
    Ok(())
}

/// The log's event ids in position order.
pub async fn log_ids(pool: &PgPool) -> anyhow::Result<Vec<Uuid>> {
    Ok(
        sqlx::query_scalar("SELECT event_id FROM es.events ORDER BY position")
            .fetch_all(pool)
            .await?,
    )
}

pub async fn head(pool: &PgPool) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar("SELECT position FROM es.log_head")
        .fetch_one(pool)
        .await?)
}

/// The `Nats-Msg-Id`s of every message in `stream`, in stream sequence order.
pub async fn stream_ids(js: &jetstream::Context, stream: &str) -> anyhow::Result<Vec<Uuid>> {
    Ok(stream_messages(js, stream)
        .await?
        .iter()
        .map(|m| m.id)
        .collect())
}

/// A message of the stream, as read back.
pub struct StreamMessage {
    pub id: Uuid,
    pub subject: String,
    pub headers: async_nats::HeaderMap,
    pub payload: Vec<u8>,
}

/// Every message of `stream`, in sequence order, through an ordered consumer.
pub async fn stream_messages(
    js: &jetstream::Context,
    name: &str,
) -> anyhow::Result<Vec<StreamMessage>> {
    let mut stream = js.get_stream(name).await?;
    let count = stream.info().await?.state.messages;
    let mut messages = Vec::new();
    if count == 0 {
        return Ok(messages);
    }
    let consumer = stream
        .create_consumer(jetstream::consumer::pull::OrderedConfig {
            deliver_policy: jetstream::consumer::DeliverPolicy::All,
            ..Default::default()
        })
        .await?;
    let mut feed = consumer.messages().await?;
    let mut last = 0;
    while (messages.len() as u64) < count {
        let message = tokio::time::timeout(Duration::from_secs(30), feed.next())
            .await
            .context("the stream stopped delivering")?
            .context("the stream ended")??;
        let sequence = message.info().map_err(anyhow::Error::msg)?.stream_sequence;
        ensure!(sequence > last, "sequence {sequence} after {last}");
        last = sequence;
        let headers = message.headers.clone().unwrap_or_default();
        let id = headers
            .get("Nats-Msg-Id")
            .context("a message without Nats-Msg-Id")?
            .as_str()
            .parse()?;
        messages.push(StreamMessage {
            id,
            subject: message.subject.to_string(),
            headers,
            payload: message.payload.to_vec(),
        });
    }
    Ok(messages)
}

/// JetStream holds every event of the log exactly once, in position order.
pub async fn assert_stream_equals_log(
    js: &jetstream::Context,
    stream: &str,
    pool: &PgPool,
) -> anyhow::Result<()> {
    let published = stream_ids(js, stream).await?;
    let logged = log_ids(pool).await?;
    if published != logged {
        let first = published
            .iter()
            .zip(&logged)
            .position(|(a, b)| a != b)
            .unwrap_or(published.len().min(logged.len()));
        bail!(
            "JetStream holds {} messages, the log {} events; they first differ at position {}",
            published.len(),
            logged.len(),
            first + 1
        );
    }
    Ok(())
}

/// Messages in `stream` (its state, not read back).
pub async fn stream_count(js: &jetstream::Context, stream: &str) -> anyhow::Result<u64> {
    Ok(js.get_stream(stream).await?.info().await?.state.messages)
}

/// Each read model of `lectern dev` by its checkpoint name, and the categories it reads.
fn projections() -> Vec<(String, &'static [&'static str])> {
    use projections::analytics::{
        agent_performance::AgentPerformance, class_dashboard::ClassDashboard,
        daily_activity::DailyActivity, lesson_funnel::LessonFunnel,
    };
    fn entry(p: &impl Projection) -> (String, &'static [&'static str]) {
        (projections::checkpoint_name(p), p.categories())
    }
    vec![
        entry(&projections::lessons::Lessons),
        entry(&projections::users::Users),
        entry(&projections::classes::Classes),
        entry(&projections::content_requests::ContentRequests),
        entry(&projections::student_progress::StudentProgress),
        entry(&projections::parent_links::ParentLinks),
        entry(&LessonFunnel),
        entry(&AgentPerformance),
        entry(&ClassDashboard),
        entry(&DailyActivity),
    ]
}

/// Has every projection applied every event of its categories?
pub async fn projections_caught_up(pool: &PgPool) -> anyhow::Result<bool> {
    for (checkpoint, categories) in projections() {
        let caught_up: bool = sqlx::query_scalar(
            "SELECT coalesce((SELECT position FROM es.checkpoints WHERE name = $1), 0)
                 >= coalesce((SELECT max(position) FROM es.events WHERE category = ANY($2)), 0)",
        )
        .bind(&checkpoint)
        .bind(categories)
        .fetch_one(pool)
        .await?;
        if !caught_up {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Wait until the relay has published the whole log and every projection has applied it.
pub async fn wait_caught_up(
    pool: &PgPool,
    js: &jetstream::Context,
    stream: &str,
) -> anyhow::Result<()> {
    let caught_up = eventually(
        "the relay and the projections caught up",
        EVENTUALLY,
        async || {
            let head = head(pool).await?;
            Ok(stream_count(js, stream).await? == head as u64
                && projections_caught_up(pool).await?)
        },
    )
    .await;
    if caught_up.is_err() {
        let checkpoints: Vec<(String, i64)> =
            sqlx::query_as("SELECT name, position FROM es.checkpoints ORDER BY name")
                .fetch_all(pool)
                .await?;
        let published = stream_count(js, stream).await;
        return caught_up
            .with_context(|| format!("published {published:?}; checkpoints {checkpoints:?}"));
    }
    Ok(())
}

/// Every table of schema `read`, as sorted row texts.
pub async fn read_models(pool: &PgPool) -> anyhow::Result<BTreeMap<String, Vec<String>>> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables
          WHERE table_schema = 'read' AND table_type = 'BASE TABLE' ORDER BY 1",
    )
    .fetch_all(pool)
    .await?;
    let mut models = BTreeMap::new();
    for table in tables {
        let sql = format!("SELECT t::text FROM read.\"{table}\" t ORDER BY 1");
        let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_all(pool)
            .await?;
        models.insert(table, rows);
    }
    Ok(models)
}

/// Stop `lectern` (SIGTERM), then check each read model equals a fresh rebuild
/// (`lectern projections rebuild --all`) of it.
pub async fn assert_read_models_equal_a_rebuild(
    lectern: &mut Lectern,
    pool: &PgPool,
) -> anyhow::Result<()> {
    lectern.stop().await?;
    let live = read_models(pool).await?;
    lectern.rebuild_all().await?;
    let rebuilt = read_models(pool).await?;
    ensure!(
        live.keys().eq(rebuilt.keys()),
        "other tables after the rebuild"
    );
    for (table, rows) in &live {
        let fresh = &rebuilt[table];
        if rows != fresh {
            let only_live: Vec<_> = rows.iter().filter(|r| !fresh.contains(r)).take(3).collect();
            let only_fresh: Vec<_> = fresh.iter().filter(|r| !rows.contains(r)).take(3).collect();
            bail!(
                "read.{table} differs from its rebuild ({} rows live, {} rebuilt); live only: {only_live:?}; rebuilt only: {only_fresh:?}",
                rows.len(),
                fresh.len()
            );
        }
    }
    ensure!(
        live.get("lessons").is_some_and(|rows| !rows.is_empty()),
        "the catalog is empty: nothing was compared"
    );
    Ok(())
}

/// Delete a test's stream from a shared server (best effort).
pub async fn delete_stream(js: &jetstream::Context, stream: &str) {
    let _ = js.delete_stream(stream).await;
}
