//! The fixed-rate load of `bench e2e` and `bench live`: a teacher's lesson commands over
//! HTTP, open loop.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use serde::Serialize;
use serde_json::{Value, json};
use tokio::task::JoinSet;
use tokio::time::Instant;
use uuid::Uuid;

use super::Percentiles;
use crate::bench::latency::Latencies;

/// One acknowledged command.
pub(crate) struct Done {
    pub(crate) sent: Instant,
    /// The log position of its last event.
    pub(crate) position: i64,
    /// Its events' ids, in order (at least one).
    pub(crate) event_ids: Vec<Uuid>,
}

impl Done {
    /// The id of the command's first event.
    pub(crate) fn event_id(&self) -> Uuid {
        self.event_ids[0]
    }
}

/// What [`Load::open_loop`] did.
pub(crate) struct Run {
    /// Commands sent.
    pub(crate) sent: usize,
    /// The acknowledged ones.
    pub(crate) done: Vec<Done>,
    /// The others, by why.
    pub(crate) failures: BTreeMap<Failure, usize>,
    /// The acknowledged commands' request to response.
    pub(crate) latencies: Latencies,
    pub(crate) started: Instant,
    /// From the start to the last answer.
    pub(crate) seconds: f64,
}

/// A teacher's commands: drafts of new lessons, and revisions of the lessons drafted
/// before the load, round robin (so two revisions of one lesson are a second apart and
/// never race each other).
impl Run {
    /// What the load did, as the reports show it, for a load of `rate` for `seconds`.
    pub(crate) fn commands(&self, rate: u32, seconds: u64) -> Commands {
        Commands {
            rate,
            seconds,
            commands_sent: self.sent,
            commands_ok: self.done.len(),
            commands_failed: self.failures.values().sum(),
            failures: self.failures.clone(),
            achieved_rate: self.done.len() as f64 / self.seconds,
            http: Percentiles::from(&self.latencies),
        }
    }
}

/// The load in a report (flattened into it).
#[derive(Debug, Serialize)]
pub(crate) struct Commands {
    pub(crate) rate: u32,
    pub(crate) seconds: u64,
    pub(crate) commands_sent: usize,
    pub(crate) commands_ok: usize,
    pub(crate) commands_failed: usize,
    /// Failed commands by status (`409`, `503`, …) or `no answer`.
    pub(crate) failures: BTreeMap<Failure, usize>,
    /// Commands answered 2xx per second of load.
    pub(crate) achieved_rate: f64,
    /// From the request to the response (the events are committed to the log).
    pub(crate) http: Percentiles,
}

impl Commands {
    /// The table's lines about the commands sent.
    pub(crate) fn print(&self) {
        println!(
            "{:<34} {:>10} ({} failed, {:.0}/s acknowledged)",
            "commands sent", self.commands_sent, self.commands_failed, self.achieved_rate
        );
        if !self.failures.is_empty() {
            println!("{:<34} {:?}", "failures by answer", self.failures);
        }
    }
}

#[derive(Clone)]
pub(crate) struct Load {
    pub(crate) http: reqwest::Client,
    pub(crate) base: String,
    pub(crate) teacher: String,
    pub(crate) lessons: Arc<Vec<Uuid>>,
}

/// Why a command did not get a 2xx: its status, or `no answer`.
pub(crate) type Failure = String;

impl Load {
    /// `rate` commands per second for `seconds`, open loop: command n at start + n / rate,
    /// each on a task of its own, whether or not the earlier ones have been answered.
    pub(crate) async fn open_loop(&self, rate: u32, seconds: u64) -> anyhow::Result<Run> {
        let total = usize::try_from(u64::from(rate) * seconds)?;
        let period = Duration::from_secs_f64(1.0 / f64::from(rate));
        let started = Instant::now();
        let mut commands = JoinSet::new();
        let mut done = Vec::with_capacity(total);
        let mut failures: BTreeMap<Failure, usize> = BTreeMap::new();
        let mut latencies = Latencies::new();
        let mut collect = |(elapsed, outcome): (Duration, Result<Done, Failure>)| match outcome {
            Ok(command) => {
                latencies.record(elapsed);
                done.push(command);
            }
            Err(failure) => *failures.entry(failure).or_default() += 1,
        };
        for n in 1..=total {
            tokio::time::sleep_until(started + period.mul_f64(n as f64)).await;
            let load = self.clone();
            commands.spawn(async move { load.timed(n).await });
            while let Some(finished) = commands.try_join_next() {
                collect(finished?);
            }
        }
        while let Some(finished) = commands.join_next().await {
            collect(finished?);
        }
        Ok(Run {
            sent: total,
            done,
            failures,
            latencies,
            started,
            seconds: started.elapsed().as_secs_f64(),
        })
    }

    /// Command `n`, timed from the moment it is sent.
    async fn timed(&self, n: usize) -> (Duration, Result<Done, Failure>) {
        let sent = Instant::now();
        let done = self.send(n).await;
        (sent.elapsed(), done)
    }

    pub(crate) async fn send(&self, n: usize) -> Result<Done, Failure> {
        let revise =
            (n % 4 != 0 && !self.lessons.is_empty()).then(|| self.lessons[n % self.lessons.len()]);
        let request = match revise {
            Some(id) => self
                .http
                .patch(format!("{}/v1/lessons/{id}", self.base))
                .json(&json!({ "title": format!("Revision {n}") })),
            None => self
                .http
                .post(format!("{}/v1/lessons", self.base))
                .json(&json!({
                    "title": format!("Lesson {n}"), "description": "End to end",
                    "subject": "Science", "grade_level": 7, "content": {}
                })),
        };
        let sent = Instant::now();
        let no_answer = |_| "no answer".to_owned();
        let response = request
            .bearer_auth(&self.teacher)
            .send()
            .await
            .map_err(no_answer)?;
        let status = response.status();
        let body: Value = response.json().await.map_err(no_answer)?;
        if !status.is_success() {
            return Err(status.as_u16().to_string());
        }
        let position = body["position"].as_i64();
        let event_ids: Option<Vec<Uuid>> = body["event_ids"]
            .as_array()
            .filter(|ids| !ids.is_empty())
            .and_then(|ids| {
                ids.iter()
                    .map(|id| id.as_str().and_then(|id| id.parse().ok()))
                    .collect()
            });
        match (position, event_ids) {
            (Some(position), Some(event_ids)) => Ok(Done {
                sent,
                position,
                event_ids,
            }),
            _ => Err(format!("{status} without position or event id")),
        }
    }

    /// Draft `count` lessons for the revisions to work on, 32 at a time.
    pub(crate) async fn draft_lessons(&self, count: usize) -> anyhow::Result<Vec<Uuid>> {
        let mut drafts = JoinSet::new();
        let mut lessons = Vec::with_capacity(count);
        for n in 0..count {
            if drafts.len() >= 32 {
                if let Some(done) = drafts.join_next().await {
                    lessons.push(done??);
                }
            }
            let load = self.clone();
            drafts.spawn(async move {
                let body: Value = load
                    .http
                    .post(format!("{}/v1/lessons", load.base))
                    .bearer_auth(&load.teacher)
                    .json(&json!({ "title": format!("Warm-up {n}"), "subject": "Science", "grade_level": 7 }))
                    .send()
                    .await?
                    .error_for_status()?
                    .json()
                    .await?;
                let stream = body["stream_id"].as_str().context("no stream_id")?;
                Ok::<Uuid, anyhow::Error>(stream.trim_start_matches("lesson-").parse()?)
            });
        }
        while let Some(done) = drafts.join_next().await {
            lessons.push(done??);
        }
        Ok(lessons)
    }
}
