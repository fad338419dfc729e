//! A whole read — the log after a position, or one stream — walked one page at a time.

use eventstore::{Direction, LogFilter};
use sqlx::PgPool;

use super::{AuditEvent, PAGE, log_page, stream_page};

/// Walks the whole of a read one page at a time, for NDJSON answers and exports: never
/// more than one page ([`PAGE`] events) in hand.
#[derive(Debug, Clone)]
pub enum Pager {
    /// The log after a position, up to a head fixed when the read began.
    Log {
        after: i64,
        until: i64,
        filter: LogFilter,
        remaining: Option<i64>,
    },
    /// One stream from a version, either way.
    Stream {
        stream_id: String,
        next_version: i64,
        direction: Direction,
        remaining: Option<i64>,
    },
}

impl Pager {
    /// The log after `after` up to `until` (inclusive), at most `limit` events.
    pub fn log(after: i64, until: i64, filter: LogFilter, limit: Option<i64>) -> Self {
        Self::Log {
            after,
            until,
            filter,
            remaining: limit,
        }
    }

    /// A stream from `from_version` (inclusive) in `direction`, at most `limit` events.
    pub fn stream(
        stream_id: impl Into<String>,
        from_version: i64,
        direction: Direction,
        limit: Option<i64>,
    ) -> Self {
        Self::Stream {
            stream_id: stream_id.into(),
            next_version: from_version,
            direction,
            remaining: limit,
        }
    }

    /// The next page; empty once the read is complete.
    pub async fn next_page(&mut self, pool: &PgPool) -> Result<Vec<AuditEvent>, sqlx::Error> {
        match self {
            Self::Log {
                after,
                until,
                filter,
                remaining,
            } => {
                let limit = page_limit(*remaining);
                if limit == 0 || *after >= *until {
                    return Ok(Vec::new());
                }
                let page = log_page(pool, *after, *until, filter, limit).await?;
                if let Some(last) = page.last() {
                    *after = last.position;
                }
                if page.len() < limit as usize {
                    // Short page: nothing more up to `until`.
                    *after = *until;
                }
                consume(remaining, page.len());
                Ok(page)
            }
            Self::Stream {
                stream_id,
                next_version,
                direction,
                remaining,
            } => {
                let limit = page_limit(*remaining);
                if limit == 0 || *next_version < 1 {
                    return Ok(Vec::new());
                }
                let page = stream_page(pool, stream_id, *next_version, *direction, limit).await?;
                *next_version = match (page.last(), *direction) {
                    _ if page.len() < limit as usize => 0,
                    (Some(last), Direction::Forward) => last.stream_version + 1,
                    (Some(last), Direction::Backward) => last.stream_version - 1,
                    (None, _) => 0,
                };
                consume(remaining, page.len());
                Ok(page)
            }
        }
    }
}

fn page_limit(remaining: Option<i64>) -> i64 {
    remaining.map_or(PAGE, |left| left.clamp(0, PAGE))
}

fn consume(remaining: &mut Option<i64>, taken: usize) {
    if let Some(left) = remaining {
        *left -= taken as i64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_never_exceeds_the_page_size_nor_what_is_left() {
        assert_eq!(page_limit(None), PAGE);
        assert_eq!(page_limit(Some(10)), 10);
        assert_eq!(page_limit(Some(5_000)), PAGE);
        assert_eq!(page_limit(Some(-1)), 0);
    }
}
