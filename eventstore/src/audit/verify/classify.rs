//! Classifying a break: the first suspect row found by the walk, looked at with the rows
//! around it, becomes a [`Break`] of one kind.
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

use sqlx::PgConnection;

use super::report::{Break, BreakKind};
use super::rows::EventRow;
use super::walk::{Chain, Suspect};
use crate::audit::anchors;
use crate::audit::canonical::EventFields;
use crate::audit::chain::{ChainHash, Linker};

/// How far before and after a broken position a verify looks for moved contents.
pub const REORDER_WINDOW: i64 = 64;

const RANGE_SQL: &str = "SELECT position, event_id, stream_id, stream_version, event_type,
                                schema_version, payload, metadata, recorded_at, hash
                           FROM es.events WHERE position BETWEEN $1 AND $2 ORDER BY position";

/// Turn the first suspect row into a [`Break`], looking at the rows around it.
pub(super) async fn classify(
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
