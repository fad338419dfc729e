//! Duplicates and reordering at the consumers of a running `lectern dev`: after a content
//! request has been generated and everything has been projected, every message of the
//! stream is published again without its `Nats-Msg-Id` (so JetStream cannot drop it) and
//! the relay's `Nats-Expected-Last-Sequence`,
//! first in reverse order, then in order. The projection workers and the agent worker get
//! each event three times, the copies out of order; none has any effect: the log does not
//! grow (no second `ContentGenerated`, nothing attached twice), nothing is dead-lettered,
//! and each read model still equals its rebuild.

use std::time::Duration;

use async_nats::jetstream;
use domain::Role;
use futures::TryStreamExt;
use reqwest::Method;
use serde_json::json;
use testkit::TestDb;
use uuid::Uuid;

use crate::support::{
    Api, EVENTUALLY, Env, Lectern, assert_read_models_equal_a_rebuild, database_url, delete_stream,
    eventually, head, stream_count, stream_messages, token, wait_caught_up,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicated_and_reordered_messages_have_no_second_effect() -> anyhow::Result<()> {
    let db = TestDb::create().await?;
    let env = Env::new(database_url(&db.name), std::env::var("NATS_URL")?);
    let js = jetstream::new(testkit::nats_client().await?);
    let mut lectern = Lectern::dev(&env, &[]);
    let outcome = duplicate_and_check(&db, &env, &js, &mut lectern).await;
    delete_stream(&js, &env.stream).await;
    outcome.map_err(|error| error.context(format!("lectern's log:\n{}", lectern.log_tail())))
}

async fn duplicate_and_check(
    db: &TestDb,
    env: &Env,
    js: &jetstream::Context,
    lectern: &mut Lectern,
) -> anyhow::Result<()> {
    lectern.start().await?;
    let api = Api::new(lectern.base());
    let (_, teacher) = token(Role::Teacher);
    let mut lessons = Vec::new();
    for n in 0..4 {
        let id = Uuid::now_v7();
        let body = json!({ "lesson_id": id, "title": format!("Tides {n}"), "subject": "Science", "grade_level": 6 });
        let answer = api
            .send(Method::POST, "/v1/lessons", &teacher, Some(&body), &[])
            .await?;
        anyhow::ensure!(answer.status == 201, "draft: {answer:?}");
        let body = json!({ "title": format!("Tides and the moon {n}") });
        let answer = api
            .send(
                Method::PATCH,
                &format!("/v1/lessons/{id}"),
                &teacher,
                Some(&body),
                &[],
            )
            .await?;
        anyhow::ensure!(answer.ok(), "revise: {answer:?}");
        lessons.push(id);
    }
    let request = json!({
        "objectives": ["Explain why there are two tides a day", "Name what causes spring tides"],
        "duration_minutes": 40, "parts": ["lesson_content", "quiz", "terrain", "script"],
        "theme": "harbour"
    });
    let answer = api
        .send(
            Method::POST,
            &format!("/v1/lessons/{}/content-requests", lessons[0]),
            &teacher,
            Some(&request),
            &[],
        )
        .await?;
    anyhow::ensure!(answer.status == 201, "content request: {answer:?}");
    let stream_id = answer.body["stream_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let request_id = stream_id.trim_start_matches("content-").to_owned();
    eventually("the content is generated", EVENTUALLY, async || {
        let view = api
            .get(&format!("/v1/content-requests/{request_id}"), &teacher)
            .await?;
        anyhow::ensure!(view["status"] != "failed", "the request failed: {view}");
        Ok(view["status"] == "generated")
    })
    .await?;
    wait_caught_up(&db.pool, js, &env.stream).await?;
    wait_consumers_idle(js, &env.stream).await?;
    let before = head(&db.pool).await?;
    let first = effects(db, &stream_id, lessons[0]).await?;
    anyhow::ensure!(first == (1, 1), "before the duplicates: {first:?}");

    // Every message again, without the id JetStream dedupes by: reversed, then in order.
    let messages = stream_messages(js, &env.stream).await?;
    anyhow::ensure!(messages.len() as i64 == before, "the stream is the log");
    for message in messages.iter().rev().chain(&messages) {
        let mut headers = async_nats::HeaderMap::new();
        for (name, values) in message.headers.iter() {
            // Nats-Msg-Id would be deduplicated, Nats-Expected-Last-Sequence refused.
            if !name.to_string().starts_with("Nats-") {
                for value in values {
                    headers.append(name.clone(), value.clone());
                }
            }
        }
        js.publish_with_headers(
            message.subject.clone(),
            headers,
            message.payload.clone().into(),
        )
        .await?
        .await?;
    }
    anyhow::ensure!(
        stream_count(js, &env.stream).await? == 3 * before as u64,
        "JetStream dropped some copies"
    );
    wait_consumers_idle(js, &env.stream).await?;
    let stream = js.get_stream(&env.stream).await?;
    for name in [
        "agents",
        "projection_lessons",
        "projection_content_requests",
    ] {
        let info = stream.consumer_info(name).await?;
        anyhow::ensure!(
            info.delivered.stream_sequence > before as u64,
            "{name} was not delivered the copies: {:?}",
            info.delivered
        );
    }
    // A worker still busy with a copy would show as ack-pending; give a stray effect the
    // chance to show before looking.
    tokio::time::sleep(Duration::from_secs(2)).await;

    anyhow::ensure!(
        head(&db.pool).await? == before,
        "the duplicates appended events"
    );
    anyhow::ensure!(
        effects(db, &stream_id, lessons[0]).await? == (1, 1),
        "one ContentGenerated and one attachment"
    );
    let dead: i64 = sqlx::query_scalar("SELECT count(*) FROM es.dead_letters")
        .fetch_one(&db.pool)
        .await?;
    anyhow::ensure!(dead == 0, "{dead} messages were dead-lettered");
    assert_read_models_equal_a_rebuild(lectern, &db.pool).await
}

/// (`ContentGenerated` on the request's stream, `GeneratedContentAttached` on the lesson's).
async fn effects(db: &TestDb, request: &str, lesson: Uuid) -> anyhow::Result<(i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT count(*) FILTER (WHERE stream_id = $1 AND event_type = 'ContentGenerated'),
                count(*) FILTER (WHERE stream_id = $2 AND event_type = 'GeneratedContentAttached')
           FROM es.events",
    )
    .bind(request)
    .bind(format!("lesson-{lesson}"))
    .fetch_one(&db.pool)
    .await?)
}

/// Wait until the workers' consumers of `stream` have been delivered everything and
/// acked it.
async fn wait_consumers_idle(js: &jetstream::Context, stream: &str) -> anyhow::Result<()> {
    let stream = js.get_stream(stream).await?;
    // The durable consumers of the workers (not the ephemeral ones that read the stream
    // back, which may be gone by the time they are looked up).
    let names: Vec<String> = stream.consumer_names().try_collect().await?;
    let names: Vec<String> = names
        .into_iter()
        .filter(|n| n.starts_with("projection_") || n == "agents")
        .collect();
    anyhow::ensure!(
        names.iter().any(|n| n.starts_with("projection_")) && names.iter().any(|n| n == "agents"),
        "consumers: {names:?}"
    );
    for name in names {
        eventually(
            &format!("consumer {name} is idle"),
            EVENTUALLY,
            async || {
                let info = stream.consumer_info(&name).await?;
                Ok(info.num_pending == 0 && info.num_ack_pending == 0)
            },
        )
        .await?;
    }
    Ok(())
}
