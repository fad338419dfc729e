//! Many writers on one lesson over HTTP, against the real binary: with `If-Match` each
//! round has exactly one winner and the others get 412; without it every accepted revision
//! is in the stream, the versions are dense, and the catalog shows the last one. No update
//! is lost either way. (The class-capacity invariant under a crowd of enrollments over two
//! API processes is `api/tests/http/enrollments.rs`.)

use std::collections::BTreeSet;

use async_nats::jetstream;
use domain::Role;
use reqwest::Method;
use serde_json::json;
use testkit::TestDb;
use tokio::task::JoinSet;
use uuid::Uuid;

use crate::support::{
    Api, Env, Lectern, assert_log_is_dense, database_url, delete_stream, long_mode, token,
};

const WRITERS: usize = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writers_racing_on_one_lesson_lose_no_update() -> anyhow::Result<()> {
    let db = TestDb::create().await?;
    let env = Env::new(database_url(&db.name), std::env::var("NATS_URL")?);
    let js = jetstream::new(testkit::nats_client().await?);
    let mut lectern = Lectern::dev(&env, &["--no-agents"]);
    let outcome = race(&db, &mut lectern).await;
    let _ = lectern.stop().await;
    delete_stream(&js, &env.stream).await;
    outcome.map_err(|error| error.context(format!("lectern's log:\n{}", lectern.log_tail())))
}

async fn race(db: &TestDb, lectern: &mut Lectern) -> anyhow::Result<()> {
    lectern.start().await?;
    let api = Api::new(lectern.base());
    let (_, teacher) = token(Role::Teacher);
    let lesson = Uuid::now_v7();
    let drafted = api
        .send(
            Method::POST,
            "/v1/lessons",
            &teacher,
            Some(&json!({ "lesson_id": lesson, "title": "Contended", "subject": "Math", "grade_level": 5 })),
            &[],
        )
        .await?;
    anyhow::ensure!(drafted.status == 201, "draft: {drafted:?}");
    let path = format!("/v1/lessons/{lesson}");
    let mut accepted: Vec<(Uuid, String)> = Vec::new();

    // With If-Match: every writer pins the version all of them saw; one wins per round.
    let rounds = if long_mode() { 50 } else { 10 };
    for round in 0..rounds {
        // The draft is version 1; each round's winner adds one.
        let version = round + 1;
        let mut writers = JoinSet::new();
        for writer in 0..WRITERS {
            let (api, teacher, path) = (api.clone(), teacher.clone(), path.clone());
            let title = format!("pinned {round}.{writer}");
            writers.spawn(async move {
                let body = json!({ "title": title });
                let answer = api
                    .send(
                        Method::PATCH,
                        &path,
                        &teacher,
                        Some(&body),
                        &[("if-match", format!("\"{version}\""))],
                    )
                    .await;
                (title, answer)
            });
        }
        let mut winners = Vec::new();
        let mut refused = 0;
        while let Some(done) = writers.join_next().await {
            let (title, answer) = done?;
            let answer = answer?;
            match answer.status {
                200 => winners.push((answer.event_ids()[0], title)),
                412 => refused += 1,
                other => anyhow::bail!("round {round}: {other}: {}", answer.body),
            }
        }
        anyhow::ensure!(
            winners.len() == 1 && refused == WRITERS - 1,
            "round {round}: {} won, {refused} refused",
            winners.len()
        );
        accepted.extend(winners);
    }

    // Without If-Match: every revision applies to whatever the lesson is by then. A
    // writer that keeps losing the race may get 409 `contended` (nothing appended): it
    // retries with the same Idempotency-Key.
    let each = if long_mode() { 50 } else { 10 };
    let mut writers = JoinSet::new();
    for writer in 0..WRITERS {
        let (api, teacher, path) = (api.clone(), teacher.clone(), path.clone());
        writers.spawn(async move {
            let mut accepted = Vec::new();
            for n in 0..each {
                let title = format!("free {writer}.{n}");
                let body = json!({ "title": title });
                let key = format!("free-{writer}-{n}");
                loop {
                    let answer = api
                        .send(
                            Method::PATCH,
                            &path,
                            &teacher,
                            Some(&body),
                            &[("idempotency-key", key.clone())],
                        )
                        .await?;
                    match answer.status {
                        200 => {
                            accepted.push((answer.event_ids()[0], title.clone()));
                            break;
                        }
                        409 => continue,
                        other => anyhow::bail!("{key}: {other}: {}", answer.body),
                    }
                }
            }
            Ok(accepted)
        });
    }
    while let Some(done) = writers.join_next().await {
        accepted.extend(done??);
    }

    // The stream: the draft, then exactly the accepted revisions, versions 1..=n.
    let events: Vec<(Uuid, i64, String, Option<String>)> = sqlx::query_as(
        "SELECT event_id, stream_version, event_type, payload->>'title' FROM es.events
          WHERE stream_id = $1 ORDER BY stream_version",
    )
    .bind(format!("lesson-{lesson}"))
    .fetch_all(&db.pool)
    .await?;
    let versions: Vec<i64> = events.iter().map(|e| e.1).collect();
    let dense: Vec<i64> = (1..=events.len() as i64).collect();
    anyhow::ensure!(versions == dense, "versions {versions:?}");
    anyhow::ensure!(
        events.len() == 1 + accepted.len(),
        "{} events for {} accepted revisions",
        events.len(),
        accepted.len()
    );
    let logged: BTreeSet<(Uuid, String)> = events[1..]
        .iter()
        .map(|(id, _, kind, title)| {
            assert_eq!(kind, "LessonRevised");
            (*id, title.clone().unwrap_or_default())
        })
        .collect();
    let answered: BTreeSet<(Uuid, String)> = accepted.into_iter().collect();
    anyhow::ensure!(
        logged == answered,
        "the stream differs from the 2xx answers"
    );
    assert_log_is_dense(&db.pool).await?;

    // The catalog, read after the last event, shows the last revision.
    let head: i64 = crate::support::head(&db.pool).await?;
    let view = api
        .get(&format!("/v1/lessons/{lesson}?after={head}"), &teacher)
        .await?;
    let last = events.last().and_then(|e| e.3.clone()).unwrap_or_default();
    anyhow::ensure!(view["title"] == last, "catalog: {view}, last: {last}");
    anyhow::ensure!(view["version"] == events.len() as i64, "catalog: {view}");
    Ok(())
}
