//! The HTTP load: a client that records every answer, and teachers drafting and revising
//! lessons with `Idempotency-Key`s, retried until acknowledged, into a [`Record`] of what
//! they saw.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::ensure;
use domain::Role;
use reqwest::Method;
use serde_json::{Value, json};
use tokio::task::JoinSet;
use tokio::time::Instant;
use uuid::Uuid;

use super::{EVENTUALLY, random, token};

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
