//! The oracles: the store holds every acknowledged command exactly once, JetStream holds
//! the log exactly once in position order, and each read model equals a fresh rebuild.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use anyhow::{Context, bail, ensure};
use async_nats::jetstream;
use futures::StreamExt;
use projections::Projection;
use sqlx::PgPool;
use uuid::Uuid;

use super::{Answer, EVENTUALLY, Lectern, Record, eventually};

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
