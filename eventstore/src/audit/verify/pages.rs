//! Reading the snapshot: keyset pages of `es.events` by position ([`Page`]s), read on one
//! task while the previous page is checked ([`walk`](super::walk)) on a blocking thread.

use sqlx::{PgConnection, Row};
use tokio::sync::mpsc;

use super::rows::Page;
use super::walk::{Chain, Suspect};
use crate::audit::anchors;

/// Events per page read.
pub const PAGE_SIZE: i64 = 5_000;

const PAGE_SQL: &str = "SELECT position, event_id, stream_id, stream_version, event_type,
                               schema_version, payload, metadata, recorded_at, hash
                          FROM es.events WHERE position > $1 ORDER BY position LIMIT $2";

/// Read pages on `conn` while the previous page is checked on a blocking thread; stop at
/// the first suspect row.
pub(super) async fn read_and_check(
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
