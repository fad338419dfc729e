//! Verify the hash chain: recompute every link from what `es.events` holds and report the
//! first position where it breaks, and how.
//!
//! The whole run reads one snapshot (a `REPEATABLE READ, READ ONLY` transaction), so the
//! head and the rows agree even while appends go on: a row beyond the snapshot's head was
//! not written by the appender. Rows are read in keyset pages by position (bounded memory)
//! by one task while the previous page is hashed on a blocking thread.
//!
//! How a break is classified, at the first position `p` where something is wrong
//! (`s(p)` is the stored hash, `prev` the verified hash before it):
//!
//! - **Missing**: no row at `p` although a later one exists, or the head is at or beyond
//!   `p` and there are no more rows (deleted events); also when every row links but the
//!   head's hash is not the last row's (events after the head removed and the head moved
//!   back), reported at head + 1.
//! - **Inserted**: a row beyond the head; a row with no hash after the chain started; a
//!   stored hash that is not the chain's (it does not come from `prev` and this row, and
//!   nothing links to it: not the next row, not the head, not an anchor).
//! - **Reordered**: the row's hash is not the chain's, but the contents of another row
//!   within [`REORDER_WINDOW`] positions before or after `p` that does not link where it
//!   is, placed at `p` and linked from `prev`, produce the stored hash of `p` or of that
//!   other row (contents swapped, or rows moved with their hashes).
//! - **Altered**: the stored hash is the chain's (the next row, the head or an anchor links
//!   to it) but the row's contents no longer produce it; or the contents produce the hash
//!   the next row links to but the stored hash was changed; or the chain is consistent up
//!   to an anchor but not equal to it (rows at or before the anchor altered and every hash
//!   after them recomputed).
//!
//! A row with no hash before the first hashed row was written before the chain existed:
//! it is counted as the unchained prefix, not reported. The chain starts from 32 zero
//! bytes at the first hashed row.
//!
//! This module only reads; it must not repair anything.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgPool, Row};
use tokio::sync::mpsc;
use uuid::Uuid;

use super::anchors::{self, Anchor};
use super::canonical::EventFields;
use super::chain::{ChainHash, Linker};

/// Events per page read.
pub const PAGE_SIZE: i64 = 5_000;
/// How far before and after a broken position a verify looks for moved contents.
pub const REORDER_WINDOW: i64 = 64;

/// What to verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Start at the nearest anchor at or below this position (from the first event if
    /// there is none); None: from the first event.
    pub from: Option<i64>,
    /// Events per page read.
    pub page_size: i64,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        Self {
            from: None,
            page_size: PAGE_SIZE,
        }
    }
}

/// Where a verify started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum VerifyStart {
    /// From the first event of the log, linking from 32 zero bytes.
    Beginning,
    /// From an anchor: its hash was trusted as the chain's at its position, and only the
    /// events after it were verified.
    Anchor { anchor: Anchor },
}

/// How the chain breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    Altered,
    Missing,
    Reordered,
    Inserted,
}

impl std::fmt::Display for BreakKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Altered => "altered",
            Self::Missing => "missing",
            Self::Reordered => "reordered",
            Self::Inserted => "inserted",
        })
    }
}

/// The first position where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Break {
    pub position: i64,
    pub kind: BreakKind,
    /// What was found, in words.
    pub detail: String,
}

/// The outcome of a verify.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerifyReport {
    pub start: VerifyStart,
    /// Rows read, the unchained prefix included (up to the break, if any).
    pub checked: u64,
    /// Of those, rows written before the chain existed (no hash, before the first hashed
    /// row): not verifiable, not tampering.
    pub unchained_prefix: u64,
    /// The first and last position read and found in order (None: none).
    pub first_position: Option<i64>,
    pub last_position: Option<i64>,
    /// Anchors passed whose hash matched the chain.
    pub anchors_checked: u64,
    /// The head of the snapshot verified, and its hash (None before the chain started).
    pub head_position: i64,
    pub head_hash: Option<ChainHash>,
    /// The first break, if any.
    pub broken: Option<Break>,
    pub seconds: f64,
}

impl VerifyReport {
    /// True when nothing broke.
    pub fn is_clean(&self) -> bool {
        self.broken.is_none()
    }
}

/// Verify the chain of the whole log (`from: None`), or from the nearest anchor at or below
/// `from`. `progress` gets the last position verified after each page. Returns the report,
/// also when the chain breaks; an error only when the database fails.
pub async fn verify(
    pool: &PgPool,
    from: Option<i64>,
    progress: impl FnMut(i64) + Send,
) -> Result<VerifyReport, sqlx::Error> {
    verify_with(
        pool,
        VerifyOptions {
            from,
            ..VerifyOptions::default()
        },
        progress,
    )
    .await
}

/// [`verify`] with every option.
pub async fn verify_with(
    pool: &PgPool,
    options: VerifyOptions,
    mut progress: impl FnMut(i64) + Send,
) -> Result<VerifyReport, sqlx::Error> {
    let started = Instant::now();
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    let (head_position, head_hash): (i64, Option<Vec<u8>>) =
        sqlx::query_as("SELECT position, hash FROM es.log_head")
            .fetch_one(&mut *tx)
            .await?;
    // A malformed head hash can never equal a link: it is reported like a wrong one.
    let head_hash = head_hash.map(|h| ChainHash::from_slice(&h).ok_or(h));

    let anchor = match options.from {
        Some(from) => anchors::at_or_below(&mut *tx, from).await?,
        None => None,
    };
    let mut chain = Chain::new(head_position, anchor.as_ref());
    let start = anchor.map_or(VerifyStart::Beginning, |anchor| VerifyStart::Anchor {
        anchor,
    });

    // Starting from an anchor: the row there must still hold the anchor's hash, or the
    // chain after it was recomputed.
    let at_anchor = match &anchor {
        Some(anchor) => {
            let stored: Option<Option<Vec<u8>>> =
                sqlx::query_scalar("SELECT hash FROM es.events WHERE position = $1")
                    .bind(anchor.position)
                    .fetch_optional(&mut *tx)
                    .await?;
            match stored {
                None => Some(Suspect::Gap {
                    expected: anchor.position,
                    found: None,
                }),
                Some(stored) if stored.as_deref() != Some(anchor.hash.as_bytes().as_slice()) => {
                    Some(Suspect::Anchor {
                        position: anchor.position,
                    })
                }
                Some(_) => None,
            }
        }
        None => None,
    };
    let suspect = match at_anchor {
        Some(suspect) => Some(suspect),
        None => {
            let conn: &mut PgConnection = &mut tx;
            read_and_check(conn, &mut chain, options.page_size.max(1), &mut progress).await?
        }
    };
    let suspect = match suspect {
        Some(suspect) => Some(suspect),
        None => chain.finish(head_hash.as_ref()),
    };
    let broken = match suspect {
        Some(suspect) => Some(classify(&mut tx, &chain, suspect, head_hash.as_ref()).await?),
        None => None,
    };
    tx.rollback().await?;
    Ok(VerifyReport {
        start,
        checked: chain.checked,
        unchained_prefix: chain.unchained,
        first_position: chain.first,
        last_position: chain.last,
        anchors_checked: chain.anchors_checked,
        head_position,
        head_hash: head_hash.and_then(Result::ok),
        broken,
        seconds: started.elapsed().as_secs_f64(),
    })
}

const PAGE_SQL: &str = "SELECT position, event_id, stream_id, stream_version, event_type,
                               schema_version, payload, metadata, recorded_at, hash
                          FROM es.events WHERE position > $1 ORDER BY position LIMIT $2";

const RANGE_SQL: &str = "SELECT position, event_id, stream_id, stream_version, event_type,
                                schema_version, payload, metadata, recorded_at, hash
                           FROM es.events WHERE position BETWEEN $1 AND $2 ORDER BY position";

/// One page of rows and the anchors among their positions.
struct Page {
    rows: Vec<PgRow>,
    anchors: HashMap<i64, Option<ChainHash>>,
}

/// Read pages on `conn` while the previous page is checked on a blocking thread; stop at
/// the first suspect row.
async fn read_and_check(
    conn: &mut PgConnection,
    chain: &mut Chain,
    page_size: i64,
    progress: &mut (impl FnMut(i64) + Send),
) -> Result<Option<Suspect>, sqlx::Error> {
    let (pages, mut incoming) = mpsc::channel::<Page>(1);
    let after = chain.expect - 1;
    let mut state = std::mem::take(chain);
    let reader = async move {
        let read = read_pages(conn, &pages, after, page_size).await;
        // Dropping the sender ends the checker's loop, also after an error.
        drop(pages);
        read
    };
    let checker = async move {
        let mut found = None;
        while let Some(page) = incoming.recv().await {
            let checked = tokio::task::spawn_blocking(move || {
                let outcome = state.check_page(&page);
                (state, outcome)
            })
            .await;
            let outcome;
            (state, outcome) = match checked {
                Ok(checked) => checked,
                Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
                // The runtime is shutting down.
                Err(_) => return Err(sqlx::Error::PoolClosed),
            };
            if let Some(last) = state.last {
                progress(last);
            }
            if let Err(suspect) = outcome {
                found = Some(suspect);
                break;
            }
        }
        // Dropping `incoming` stops the reader.
        drop(incoming);
        Ok((state, found))
    };
    let (read, checked) = tokio::join!(reader, checker);
    let (state, found) = checked?;
    *chain = state;
    match (found, read) {
        (Some(suspect), _) => Ok(Some(suspect)),
        (None, Err(error)) => Err(error),
        (None, Ok(())) => Ok(None),
    }
}

/// Send pages of rows after `after` until the last one, or until the checker stops.
async fn read_pages(
    conn: &mut PgConnection,
    pages: &mpsc::Sender<Page>,
    mut after: i64,
    page_size: i64,
) -> Result<(), sqlx::Error> {
    loop {
        let rows = sqlx::query(PAGE_SQL)
            .bind(after)
            .bind(page_size)
            .fetch_all(&mut *conn)
            .await?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        let last: i64 = last.try_get(0)?;
        let anchors = anchors::hashes_between(&mut *conn, after, last)
            .await?
            .into_iter()
            .collect();
        let full = i64::try_from(rows.len()).unwrap_or(i64::MAX) >= page_size;
        if pages.send(Page { rows, anchors }).await.is_err() || !full {
            // The checker stopped at a suspect row, or this was the last page.
            return Ok(());
        }
        after = last;
    }
}

/// The verifier's position in the chain.
#[derive(Debug, Default)]
struct Chain {
    head: i64,
    /// The next position expected.
    expect: i64,
    /// The verified hash at `expect - 1`; None while in the unchained prefix.
    prev: Option<ChainHash>,
    checked: u64,
    unchained: u64,
    first: Option<i64>,
    last: Option<i64>,
    anchors_checked: u64,
    linker: Linker,
}

/// The first row found wrong, before classification.
#[derive(Debug)]
enum Suspect {
    /// A row beyond the snapshot's head.
    BeyondHead { position: i64 },
    /// No row at `expected`; `found` is the next one, if any.
    Gap { expected: i64, found: Option<i64> },
    /// A row without a hash after the chain started.
    NoHash { position: i64 },
    /// A hash that is not the link of `prev` and the row.
    Mismatch { position: i64 },
    /// The chain at an anchor's position is not the anchor.
    Anchor { position: i64 },
    /// Every row links, but the head's hash is not the last row's.
    HeadHash,
}

impl Chain {
    fn new(head: i64, anchor: Option<&Anchor>) -> Self {
        match anchor {
            Some(anchor) => Self {
                head,
                expect: anchor.position + 1,
                prev: Some(anchor.hash),
                ..Self::default()
            },
            None => Self {
                head,
                expect: 1,
                ..Self::default()
            },
        }
    }

    fn check_page(&mut self, page: &Page) -> Result<(), Suspect> {
        for row in &page.rows {
            // A row that does not decode is not the appender's either.
            let Ok(row) = EventRow::decode(row) else {
                let position = row.try_get(0).unwrap_or(self.expect);
                return Err(Suspect::Mismatch { position });
            };
            self.check(&row, page.anchors.get(&row.position))?;
        }
        Ok(())
    }

    fn check(
        &mut self,
        row: &EventRow<'_>,
        anchor: Option<&Option<ChainHash>>,
    ) -> Result<(), Suspect> {
        let position = row.position;
        if position > self.head {
            return Err(Suspect::BeyondHead { position });
        }
        if position != self.expect {
            return Err(Suspect::Gap {
                expected: self.expect,
                found: Some(position),
            });
        }
        match (&row.hash, self.prev) {
            (None, None) => self.unchained += 1,
            (None, Some(_)) => return Err(Suspect::NoHash { position }),
            (Some(stored), prev) => {
                let computed = self
                    .linker
                    .link(&prev.unwrap_or(ChainHash::ZERO), &row.fields());
                if ChainHash::from_slice(stored) != Some(computed) {
                    return Err(Suspect::Mismatch { position });
                }
                if let Some(anchor) = anchor {
                    if *anchor != Some(computed) {
                        return Err(Suspect::Anchor { position });
                    }
                    self.anchors_checked += 1;
                }
                self.prev = Some(computed);
            }
        }
        self.checked += 1;
        self.first.get_or_insert(position);
        self.last = Some(position);
        self.expect += 1;
        Ok(())
    }

    /// After the last row: events missing at the end, or a head hash that is not the
    /// chain's.
    fn finish(&self, head_hash: Option<&Result<ChainHash, Vec<u8>>>) -> Option<Suspect> {
        if self.expect <= self.head {
            return Some(Suspect::Gap {
                expected: self.expect,
                found: None,
            });
        }
        let head_hash = head_hash.map(|h| h.as_ref().ok().copied());
        match (self.prev, head_hash) {
            (None, None) => None,
            (Some(prev), Some(Some(head))) if prev == head => None,
            _ => Some(Suspect::HeadHash),
        }
    }
}

/// A row of `es.events` as the verifier reads it.
struct EventRow<'r> {
    position: i64,
    event_id: Uuid,
    stream_id: &'r str,
    stream_version: i64,
    event_type: &'r str,
    schema_version: i32,
    payload: serde_json::Value,
    metadata: serde_json::Value,
    recorded_at: DateTime<Utc>,
    hash: Option<Vec<u8>>,
}

impl<'r> EventRow<'r> {
    fn decode(row: &'r PgRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            position: row.try_get(0)?,
            event_id: row.try_get(1)?,
            stream_id: row.try_get(2)?,
            stream_version: row.try_get(3)?,
            event_type: row.try_get(4)?,
            schema_version: row.try_get(5)?,
            payload: row.try_get(6)?,
            metadata: row.try_get(7)?,
            recorded_at: row.try_get(8)?,
            hash: row.try_get(9)?,
        })
    }

    fn fields(&self) -> EventFields<'_> {
        EventFields {
            position: self.position,
            event_id: self.event_id,
            stream_id: self.stream_id,
            stream_version: self.stream_version,
            event_type: self.event_type,
            schema_version: self.schema_version,
            payload: &self.payload,
            metadata: &self.metadata,
            recorded_at: self.recorded_at,
        }
    }

    fn stored(&self) -> Option<ChainHash> {
        self.hash.as_deref().and_then(ChainHash::from_slice)
    }
}

/// Turn the first suspect row into a [`Break`], looking at the rows around it.
async fn classify(
    conn: &mut PgConnection,
    chain: &Chain,
    suspect: Suspect,
    head_hash: Option<&Result<ChainHash, Vec<u8>>>,
) -> Result<Break, sqlx::Error> {
    let (position, kind, detail) = match suspect {
        Suspect::BeyondHead { position } => (
            position,
            BreakKind::Inserted,
            format!(
                "a row at position {position} lies beyond the log head ({}): the appender did not write it",
                chain.head
            ),
        ),
        Suspect::Gap { expected, found } => (
            expected,
            BreakKind::Missing,
            match found {
                Some(found) => {
                    format!("no event at position {expected}; the next row is at position {found}")
                }
                None => format!(
                    "no event at position {expected}, although the log head is at {}",
                    chain.head
                ),
            },
        ),
        Suspect::NoHash { position } => (
            position,
            BreakKind::Inserted,
            format!(
                "the row at position {position} has no hash, but the chain runs through the rows before it: the appender did not write it"
            ),
        ),
        Suspect::Anchor { position } => (
            position,
            BreakKind::Altered,
            format!(
                "the chain's hash at position {position} is not the anchor recorded when that event was appended: events at or before {position} were altered and the hashes after them recomputed (or the anchor was altered)"
            ),
        ),
        Suspect::HeadHash => {
            let position = chain.head + 1;
            (
                position,
                BreakKind::Missing,
                format!(
                    "every row up to the head ({}) links, but the head's hash is not the last row's: events after position {} were removed and the head moved back (or the head's hash was altered)",
                    chain.head, chain.head
                ),
            )
        }
        Suspect::Mismatch { position } => {
            let (kind, detail) = mismatch(conn, chain, position, head_hash).await?;
            (position, kind, detail)
        }
    };
    Ok(Break {
        position,
        kind,
        detail,
    })
}

/// A stored hash that is not the link of the verified hash before it and the row.
async fn mismatch(
    conn: &mut PgConnection,
    chain: &Chain,
    position: i64,
    head_hash: Option<&Result<ChainHash, Vec<u8>>>,
) -> Result<(BreakKind, String), sqlx::Error> {
    let prev = chain.prev.unwrap_or(ChainHash::ZERO);
    // Rows stripped of their hashes would look like an unchained prefix.
    let note = if chain.prev.is_none() && position > 1 {
        " (this is the first hashed row, linked from zero bytes: if the log was chained before it, the hashes of the rows before it were removed)"
            .to_owned()
    } else {
        String::new()
    };
    let rows = sqlx::query(RANGE_SQL)
        .bind(position - REORDER_WINDOW)
        .bind(position + REORDER_WINDOW)
        .fetch_all(&mut *conn)
        .await?;
    let rows: Vec<EventRow<'_>> = rows
        .iter()
        .filter_map(|r| EventRow::decode(r).ok())
        .collect();
    let Some(here) = rows.iter().find(|r| r.position == position) else {
        return Ok((
            BreakKind::Altered,
            format!("the row at position {position} cannot be read as an event"),
        ));
    };
    let stored = here.stored();
    let mut linker = Linker::new();

    // Reordered: another row's contents, placed here, produce this row's stored hash (the
    // contents were swapped or moved), or that row's own stored hash (the row was moved
    // here with its hash). Only rows that do not link where they are count: a row that
    // does holds its own contents, and merely looks like the ones hashed here (rows
    // before the break all link, so in practice this looks behind only before an anchor
    // a verify started from).
    let links_in_place = |other: &EventRow<'_>, linker: &mut Linker| {
        let prev = if other.position == 1 {
            Some(ChainHash::ZERO)
        } else {
            rows.iter()
                .find(|r| r.position == other.position - 1)
                .and_then(EventRow::stored)
        };
        prev.is_some_and(|prev| other.stored() == Some(linker.link(&prev, &other.fields())))
    };
    for other in rows.iter().filter(|r| r.position != position) {
        if links_in_place(other, &mut linker) {
            continue;
        }
        let moved_contents = EventFields {
            event_type: other.event_type,
            schema_version: other.schema_version,
            payload: &other.payload,
            metadata: &other.metadata,
            ..here.fields()
        };
        let moved_row = EventFields {
            position,
            ..other.fields()
        };
        for candidate in [moved_contents, moved_row] {
            let link = linker.link(&prev, &candidate);
            if stored == Some(link) {
                return Ok((
                    BreakKind::Reordered,
                    format!(
                        "the contents hashed at position {position} are now at position {}: rows' contents were swapped or moved",
                        other.position
                    ),
                ));
            }
            if other.stored() == Some(link) {
                return Ok((
                    BreakKind::Reordered,
                    format!(
                        "the event hashed at position {position} is now at position {}, with its hash: rows were moved",
                        other.position
                    ),
                ));
            }
        }
    }

    // Is the stored hash the chain's? The next row, the head or an anchor links to it.
    let computed = linker.link(&prev, &here.fields());
    let next = rows.iter().find(|r| r.position == position + 1);
    let links_to = |hash: Option<ChainHash>, linker: &mut Linker| -> Option<&'static str> {
        let hash = hash?;
        if let Some(next) = next {
            if next.stored() == Some(linker.link(&hash, &next.fields())) {
                return Some("the next event links to it");
            }
        } else if position == chain.head && matches!(head_hash, Some(Ok(head)) if *head == hash) {
            return Some("the log head holds it");
        }
        None
    };
    if let Some(how) = links_to(stored, &mut linker) {
        return Ok((
            BreakKind::Altered,
            format!(
                "the contents of the event at position {position} no longer produce its stored hash, and {how}: the event was altered (or the event before it was altered and its hash recomputed){note}"
            ),
        ));
    }
    if anchor_holds(conn, position, stored).await? {
        return Ok((
            BreakKind::Altered,
            format!(
                "the contents of the event at position {position} no longer produce its stored hash, which the anchor there holds: the event was altered{note}"
            ),
        ));
    }
    if let Some(how) = links_to(Some(computed), &mut linker) {
        return Ok((
            BreakKind::Altered,
            format!(
                "the stored hash of the event at position {position} was changed: its contents still produce the chain's hash, and {how}"
            ),
        ));
    }
    Ok((
        BreakKind::Inserted,
        format!(
            "the hash of the row at position {position} is not the chain's: its contents do not produce it and nothing links to it; the appender did not write this row{note}"
        ),
    ))
}

async fn anchor_holds(
    conn: &mut PgConnection,
    position: i64,
    stored: Option<ChainHash>,
) -> Result<bool, sqlx::Error> {
    let Some(stored) = stored else {
        return Ok(false);
    };
    let anchor = anchors::hashes_between(&mut *conn, position - 1, position).await?;
    Ok(anchor
        .first()
        .is_some_and(|(_, hash)| *hash == Some(stored)))
}
