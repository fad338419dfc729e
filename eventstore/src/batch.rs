//! One batch of appends, written in one transaction under the log lock.
//!
//! Why a single lock: every batch takes positions from `es.log_head` while holding a
//! transaction-scoped advisory lock, and keeps it until commit. So positions are handed out
//! in commit order with no holes, across every process, and a reader of
//! `position > checkpoint` can never skip an event that commits later.
//!
//! Each append is judged on its own (expected version, command id, reservations) against
//! the committed state plus the appends before it in the same batch; a refused append gets
//! its own error and the rest of the batch commits.
//!
//! The batch also links its events into the hash chain (`audit`): the head's hash is read
//! with the head, each event is hashed with one `recorded_at` for the whole batch
//! (truncated to the microseconds PostgreSQL keeps, and written explicitly rather than by
//! the column's default, so the hash covers exactly what is stored), and the new head hash
//! and any anchors are written in the same statement as the events.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, SubsecRound, Utc};
use sqlx::{PgPool, Postgres, Row, Transaction};
use uuid::Uuid;

use crate::audit::canonical::EventFields;
use crate::audit::{ChainHash, Linker};
use crate::pending::{Outcome, PendingAppend};
use crate::{AppendError, Appended, Metadata};

/// The advisory lock key that serializes all appends to the log ("lectern" in ASCII).
pub(crate) const LOG_LOCK_KEY: i64 = 0x006c_6563_7465_726e;

/// The NOTIFY channel that carries the new head position after each batch.
pub const NOTIFY_CHANNEL: &str = "lectern_events";

/// Open a transaction holding the log lock: the caller then takes the appends waiting at
/// that moment, so everything that queued while another batch held the lock joins this one.
pub(crate) async fn begin_locked(
    pool: &PgPool,
) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!("SELECT pg_advisory_xact_lock($1)", LOG_LOCK_KEY)
        .fetch_one(&mut *tx)
        .await?;
    Ok(tx)
}

/// Write a batch in a transaction from [`begin_locked`]. Returns one outcome per append, in
/// order, and the new head if it moved.
pub(crate) async fn commit_locked(
    tx: Transaction<'static, Postgres>,
    batch: &mut [PendingAppend],
    anchor_every: i64,
) -> (Vec<Outcome>, Option<i64>) {
    match try_commit(tx, batch, anchor_every).await {
        Ok(done) => done,
        Err(error) => (failed(batch, error), None),
    }
}

/// Every append of `batch` failed with `error`.
pub(crate) fn failed(batch: &[PendingAppend], error: sqlx::Error) -> Vec<Outcome> {
    failed_all(error).take(batch.len()).collect()
}

/// The same database failure for every append, as many as asked for.
pub(crate) fn failed_all(error: sqlx::Error) -> impl Iterator<Item = Outcome> {
    let error = Arc::new(error);
    std::iter::repeat_with(move || Err(AppendError::Database(Arc::clone(&error))))
}

async fn try_commit(
    mut tx: Transaction<'static, Postgres>,
    batch: &mut [PendingAppend],
    anchor_every: i64,
) -> Result<(Vec<Outcome>, Option<i64>), sqlx::Error> {
    let known = Known::load(&mut tx, batch).await?;
    let plan = Plan::build(known, batch, anchor_every);
    if plan.events.is_empty() {
        tx.rollback().await?;
        return Ok((plan.outcomes, None));
    }
    plan.write(&mut tx).await?;
    tx.commit().await?;
    // Counted from the plan: admitting an append moves its events out of it.
    let written = plan.events.position.len();
    metrics::counter!(crate::metric::EVENTS_APPENDED).increment(written as u64);
    metrics::histogram!(crate::metric::APPEND_BATCH_EVENTS).record(written as f64);
    for (position, hash) in &plan.anchors {
        tracing::info!(position, hash = %hash, "log anchor");
    }
    Ok((plan.outcomes, Some(plan.head)))
}

/// The committed state the batch is judged against, read under the lock in one query.
struct Known {
    head: i64,
    /// The hash of the event at the head; None before the chain's first event.
    head_hash: Option<ChainHash>,
    versions: HashMap<String, i64>,
    commands: HashMap<Uuid, Appended>,
    reserved: HashMap<(String, String), String>,
}

impl Known {
    async fn load(
        tx: &mut Transaction<'_, Postgres>,
        batch: &[PendingAppend],
    ) -> Result<Self, sqlx::Error> {
        let streams: Vec<&str> = batch
            .iter()
            .map(|p| p.stream_id.as_str())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let commands: Vec<Uuid> = batch.iter().filter_map(|p| p.command_id).collect();
        let (scopes, values): (Vec<&str>, Vec<&str>) = batch
            .iter()
            .flat_map(|p| &p.reservations)
            .map(|r| (r.scope.as_str(), r.value.as_str()))
            .unzip();
        let rows = sqlx::query(
            "SELECT 'h' AS kind, NULL::text AS a, NULL::text AS b, position AS n, NULL::jsonb AS j,
                    hash AS x
               FROM es.log_head
             UNION ALL
             SELECT 's', stream_id, NULL, version, NULL, NULL
               FROM es.streams WHERE stream_id = ANY($1)
             UNION ALL
             SELECT 'c', command_id::text, NULL, NULL, result, NULL
               FROM es.command_ids WHERE command_id = ANY($2)
             UNION ALL
             SELECT 'r', r.scope, r.value, NULL, to_jsonb(r.stream_id), NULL
               FROM es.reservations r
               JOIN UNNEST($3::text[], $4::text[]) AS q(scope, value) USING (scope, value)",
        )
        .bind(&streams)
        .bind(&commands)
        .bind(&scopes)
        .bind(&values)
        .fetch_all(&mut **tx)
        .await?;

        let mut known = Known {
            head: 0,
            head_hash: None,
            versions: HashMap::new(),
            commands: HashMap::new(),
            reserved: HashMap::new(),
        };
        for row in rows {
            let kind: &str = row.try_get("kind")?;
            match kind {
                "h" => {
                    known.head = row.try_get("n")?;
                    let hash: Option<Vec<u8>> = row.try_get("x")?;
                    known.head_hash = match hash {
                        None => None,
                        Some(bytes) => Some(ChainHash::from_slice(&bytes).ok_or_else(|| {
                            sqlx::Error::Decode("es.log_head.hash is not a 32-byte hash".into())
                        })?),
                    };
                }
                "s" => {
                    known.versions.insert(row.try_get("a")?, row.try_get("n")?);
                }
                "c" => {
                    let id: String = row.try_get("a")?;
                    let result: sqlx::types::Json<Appended> = row.try_get("j")?;
                    let id = Uuid::try_parse(&id).map_err(|e| sqlx::Error::Decode(e.into()))?;
                    known.commands.insert(id, result.0);
                }
                _ => {
                    let holder: sqlx::types::Json<String> = row.try_get("j")?;
                    known
                        .reserved
                        .insert((row.try_get("a")?, row.try_get("b")?), holder.0);
                }
            }
        }
        Ok(known)
    }
}

/// What the batch will write, and each append's outcome.
#[derive(Default)]
struct Plan {
    head: i64,
    /// The chain's hash at `head`.
    head_hash: Option<ChainHash>,
    /// The batch's `recorded_at`, in microseconds.
    recorded_at: DateTime<Utc>,
    anchor_every: i64,
    anchors: Vec<(i64, ChainHash)>,
    linker: Linker,
    outcomes: Vec<Outcome>,
    events: EventRows,
    streams: HashMap<String, (i64, i64)>,
    commands: Vec<(Uuid, String, serde_json::Value)>,
    reservations: Vec<(String, String, String)>,
}

#[derive(Default)]
struct EventRows {
    position: Vec<i64>,
    event_id: Vec<Uuid>,
    stream_id: Vec<String>,
    version: Vec<i64>,
    event_type: Vec<String>,
    schema_version: Vec<i32>,
    payload: Vec<serde_json::Value>,
    metadata: Vec<serde_json::Value>,
    hash: Vec<Vec<u8>>,
}

impl EventRows {
    fn is_empty(&self) -> bool {
        self.position.is_empty()
    }
}

impl Plan {
    fn build(mut known: Known, batch: &mut [PendingAppend], anchor_every: i64) -> Self {
        let mut plan = Plan {
            head: known.head,
            head_hash: known.head_hash,
            recorded_at: Utc::now().trunc_subsecs(6),
            anchor_every,
            ..Plan::default()
        };
        for pending in batch {
            let outcome = plan.admit(&mut known, pending);
            plan.outcomes.push(outcome);
        }
        plan
    }

    /// Judge one append; if it goes in, add its rows and advance the head.
    /// Takes the events out of `pending`: the batch owns them from here on.
    fn admit(&mut self, known: &mut Known, pending: &mut PendingAppend) -> Outcome {
        let stream = pending.stream_id.as_str();
        if let Some(first) = pending.command_id.and_then(|id| known.commands.get(&id)) {
            return Ok(Appended {
                duplicate: true,
                ..first.clone()
            });
        }
        let actual = known.versions.get(stream).copied();
        if !pending.expected.is_met_by(actual) {
            return Err(AppendError::WrongExpectedVersion {
                stream: stream.to_owned(),
                expected: pending.expected,
                actual,
            });
        }
        let mut claims = Vec::new();
        for r in &pending.reservations {
            let key = (r.scope.clone(), r.value.clone());
            match known.reserved.get(&key) {
                Some(holder) if holder != stream => {
                    return Err(AppendError::ReservationTaken {
                        scope: r.scope.clone(),
                        value: r.value.clone(),
                    });
                }
                Some(_) => {}
                None if claims.contains(&key) => {}
                None => claims.push(key),
            }
        }

        let first_position = self.head + 1;
        let mut version = actual.unwrap_or(0);
        let mut event_ids = Vec::with_capacity(pending.events.len());
        for event in std::mem::take(&mut pending.events) {
            self.head += 1;
            version += 1;
            let id = Uuid::now_v7();
            event_ids.push(id);
            let metadata = metadata_json(&event.metadata);
            let hash = self.linker.link(
                &self.head_hash.unwrap_or(ChainHash::ZERO),
                &EventFields {
                    position: self.head,
                    event_id: id,
                    stream_id: stream,
                    stream_version: version,
                    event_type: &event.event_type,
                    schema_version: event.schema_version,
                    payload: &event.payload,
                    metadata: &metadata,
                    recorded_at: self.recorded_at,
                },
            );
            self.head_hash = Some(hash);
            if self.anchor_every > 0 && self.head % self.anchor_every == 0 {
                self.anchors.push((self.head, hash));
            }
            let rows = &mut self.events;
            rows.position.push(self.head);
            rows.event_id.push(id);
            rows.stream_id.push(stream.to_owned());
            rows.version.push(version);
            rows.event_type.push(event.event_type);
            rows.schema_version.push(event.schema_version);
            rows.payload.push(event.payload);
            rows.metadata.push(metadata);
            rows.hash.push(hash.as_bytes().to_vec());
        }
        known.versions.insert(stream.to_owned(), version);
        self.streams.insert(stream.to_owned(), (version, self.head));
        for (scope, value) in claims {
            known
                .reserved
                .insert((scope.clone(), value.clone()), stream.to_owned());
            self.reservations.push((scope, value, stream.to_owned()));
        }
        let appended = Appended {
            stream_id: stream.to_owned(),
            version,
            first_position,
            last_position: self.head,
            event_ids,
            duplicate: false,
        };
        if let Some(id) = pending.command_id {
            known.commands.insert(id, appended.clone());
            self.commands.push((
                id,
                stream.to_owned(),
                serde_json::to_value(&appended).unwrap_or_default(),
            ));
        }
        Ok(appended)
    }

    /// All rows in one statement: events, stream versions, command ids, reservations, head.
    async fn write(&self, tx: &mut Transaction<'_, Postgres>) -> Result<(), sqlx::Error> {
        let (stream_ids, (versions, last_positions)): (Vec<&str>, (Vec<i64>, Vec<i64>)) = self
            .streams
            .iter()
            .map(|(s, (v, p))| (s.as_str(), (*v, *p)))
            .unzip();
        let (command_ids, (command_streams, command_results)): (
            Vec<Uuid>,
            (Vec<&str>, Vec<&serde_json::Value>),
        ) = self
            .commands
            .iter()
            .map(|(id, s, r)| (*id, (s.as_str(), r)))
            .unzip();
        let (scopes, (values, holders)): (Vec<&str>, (Vec<&str>, Vec<&str>)) = self
            .reservations
            .iter()
            .map(|(s, v, h)| (s.as_str(), (v.as_str(), h.as_str())))
            .unzip();
        let (anchor_positions, anchor_hashes): (Vec<i64>, Vec<&[u8]>) = self
            .anchors
            .iter()
            .map(|(p, h)| (*p, h.as_bytes().as_slice()))
            .unzip();
        let head_hash = self.head_hash.map(|h| h.as_bytes().to_vec());
        let e = &self.events;
        sqlx::query(
            "WITH ev AS (
                INSERT INTO es.events (position, event_id, stream_id, stream_version, event_type,
                                       schema_version, payload, metadata, hash, recorded_at)
                SELECT *, $20::timestamptz
                  FROM UNNEST($1::bigint[], $2::uuid[], $3::text[], $4::bigint[],
                              $5::text[], $6::int[], $7::jsonb[], $8::jsonb[], $21::bytea[])
             ), st AS (
                INSERT INTO es.streams (stream_id, version, last_position)
                SELECT * FROM UNNEST($9::text[], $10::bigint[], $11::bigint[])
                ON CONFLICT (stream_id) DO UPDATE
                   SET version = EXCLUDED.version, last_position = EXCLUDED.last_position,
                       updated_at = now()
             ), ci AS (
                INSERT INTO es.command_ids (command_id, stream_id, result)
                SELECT * FROM UNNEST($12::uuid[], $13::text[], $14::jsonb[])
             ), rs AS (
                INSERT INTO es.reservations (scope, value, stream_id)
                SELECT * FROM UNNEST($15::text[], $16::text[], $17::text[])
             ), an AS (
                INSERT INTO es.anchors (position, hash, recorded_at)
                SELECT *, $20::timestamptz FROM UNNEST($23::bigint[], $24::bytea[])
             ), hd AS (
                UPDATE es.log_head SET position = $18, hash = $22
             )
             SELECT pg_notify($19, $18::text)",
        )
        .bind(&e.position)
        .bind(&e.event_id)
        .bind(&e.stream_id)
        .bind(&e.version)
        .bind(&e.event_type)
        .bind(&e.schema_version)
        .bind(&e.payload)
        .bind(&e.metadata)
        .bind(&stream_ids)
        .bind(&versions)
        .bind(&last_positions)
        .bind(&command_ids)
        .bind(&command_streams)
        .bind(&command_results)
        .bind(&scopes)
        .bind(&values)
        .bind(&holders)
        .bind(self.head)
        .bind(NOTIFY_CHANNEL)
        .bind(self.recorded_at)
        .bind(&e.hash)
        .bind(head_hash)
        .bind(&anchor_positions)
        .bind(&anchor_hashes)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

fn metadata_json(metadata: &Metadata) -> serde_json::Value {
    // Serializing a struct of strings and uuids cannot fail.
    serde_json::to_value(metadata).unwrap_or_default()
}
