//! Verify the hash chain: recompute every link from what `es.events` holds and report the
//! first position where it breaks, and how.
//!
//! The whole run reads one snapshot (a `REPEATABLE READ, READ ONLY` transaction), so the
//! head and the rows agree even while appends go on: a row beyond the snapshot's head was
//! not written by the appender. Rows are read in keyset pages by position (bounded memory)
//! by one task while the previous page is hashed on a blocking thread ([`pages`]); the
//! chain is walked row by row ([`walk`]) up to the first suspect row, which [`classify`]
//! turns into a [`Break`]. The rows as read are in [`rows`], the report types in
//! [`report`]. These modules form layers: `rows` and `report` use none of the others,
//! `walk` uses `rows`, `pages` uses `rows` and `walk`, `classify` all three.
//!
//! This module only reads; it must not repair anything.

mod classify;
mod pages;
mod report;
mod rows;
mod walk;

use std::time::Instant;

use sqlx::{PgConnection, PgPool};

use super::anchors;
use super::chain::ChainHash;
use classify::classify;
use pages::read_and_check;
use walk::{Chain, Suspect};

pub use classify::REORDER_WINDOW;
pub use pages::PAGE_SIZE;
pub use report::{Break, BreakKind, VerifyReport, VerifyStart};

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
    let head = sqlx::query!("SELECT position, hash FROM es.log_head")
        .fetch_one(&mut *tx)
        .await?;
    let (head_position, head_hash) = (head.position, head.hash);
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
            let stored = sqlx::query_scalar!(
                "SELECT hash FROM es.events WHERE position = $1",
                anchor.position
            )
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
