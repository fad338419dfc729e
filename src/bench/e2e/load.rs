//! The fixed-rate load of `bench e2e`: a teacher's lesson commands over HTTP.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use serde_json::{Value, json};
use tokio::task::JoinSet;
use tokio::time::Instant;
use uuid::Uuid;

/// One acknowledged command.
pub(super) struct Done {
    pub(super) sent: Instant,
    pub(super) position: i64,
    pub(super) event_id: Uuid,
}
/// A teacher's commands: drafts of new lessons, and revisions of the lessons drafted
/// before the load, round robin (so two revisions of one lesson are a second apart and
/// never race each other).
#[derive(Clone)]
pub(super) struct Load {
    pub(super) http: reqwest::Client,
    pub(super) base: String,
    pub(super) teacher: String,
    pub(super) lessons: Arc<Vec<Uuid>>,
}

/// Why a command did not get a 2xx: its status, or `no answer`.
pub(super) type Failure = String;

impl Load {
    /// Command `n`, timed from the moment it is sent.
    pub(super) async fn timed(&self, n: usize) -> (Duration, Result<Done, Failure>) {
        let sent = Instant::now();
        let done = self.send(n).await;
        (sent.elapsed(), done)
    }

    pub(super) async fn send(&self, n: usize) -> Result<Done, Failure> {
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
        let event_id = body["event_ids"][0].as_str().and_then(|id| id.parse().ok());
        match (position, event_id) {
            (Some(position), Some(event_id)) => Ok(Done {
                sent,
                position,
                event_id,
            }),
            _ => Err(format!("{status} without position or event id")),
        }
    }

    /// Draft `count` lessons for the revisions to work on, 32 at a time.
    pub(super) async fn draft_lessons(&self, count: usize) -> anyhow::Result<Vec<Uuid>> {
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
