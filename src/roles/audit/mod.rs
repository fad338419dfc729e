//! `lectern audit …`: auditors read history from the command line.
//!
//! | command | does |
//! |---|---|
//! | `audit stream <stream_id> [--as-of <version\|RFC 3339>] [--format table\|ndjson]` | a stream's events, or the aggregate's state as it stood |
//! | `audit log [--after P] [--category C] [--type T] [--limit N] [--format table\|ndjson]` | the log in position order |
//! | `audit export --out FILE.ndjson [--after P] [--restart]` | the log into a file, resumable ([`export`]) |
//! | `audit verify [--from P]` | recompute the hash chain: exit 0 clean, 1 broken (the break printed) |
//!
//! Each reads the database (`--database-url`/`DATABASE_URL`, read-only: nothing is
//! migrated or written) or, with `--server URL` (`LECTERN_SERVER`) and `--token`
//! (`LECTERN_TOKEN`, an auditor's or admin's access token), a Lectern server through the
//! audit routes; [`source`] holds both. Payloads show `password_hash` redacted either way.

mod export;
mod print;
mod source;

use std::process::ExitCode;

use anyhow::Context;
use api::audit::time_travel::AsOf;
use eventstore::{LogFilter, StreamId};
use tokio_util::sync::CancellationToken;

use crate::cli::{AuditCommand, AuditLog, AuditStream, AuditVerify};
use crate::progress::Progress;
use print::Printer;
use source::{Read, Source};

pub async fn run(command: AuditCommand) -> anyhow::Result<ExitCode> {
    match command {
        AuditCommand::Stream(args) => stream(args).await.map(|()| ExitCode::SUCCESS),
        AuditCommand::Log(args) => log(args).await.map(|()| ExitCode::SUCCESS),
        AuditCommand::Export(args) => export::run(args).await,
        AuditCommand::Verify(args) => verify(args).await,
    }
}

async fn stream(args: AuditStream) -> anyhow::Result<()> {
    let stream = StreamId::parse(&args.stream_id)?;
    let source = Source::open(&args.source).await?;
    let mut printer = Printer::new(args.format);
    if let Some(as_of) = &args.as_of {
        let state = source.state(&stream, parse_as_of(as_of)?).await?;
        printer.state(&state)?;
    } else {
        source
            .events(
                Read::Stream(stream),
                &CancellationToken::new(),
                |_| {},
                |event, line| printer.event(event, line),
            )
            .await?;
    }
    printer.finish()
}

/// A version (a number) or a time (RFC 3339).
fn parse_as_of(raw: &str) -> anyhow::Result<AsOf> {
    if let Ok(version) = raw.parse::<i64>() {
        anyhow::ensure!(
            version >= 1,
            "--as-of: a version is 1 or more (got {version})"
        );
        return Ok(AsOf::Version(version));
    }
    let at = chrono::DateTime::parse_from_rfc3339(raw).with_context(|| {
        format!("--as-of `{raw}` is neither a version nor an RFC 3339 time (2026-11-22T10:00:00Z)")
    })?;
    Ok(AsOf::Time(at.with_timezone(&chrono::Utc)))
}

async fn log(args: AuditLog) -> anyhow::Result<()> {
    let split = |raw: &Option<String>| -> Vec<String> {
        raw.iter()
            .flat_map(|r| r.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let filter = LogFilter {
        categories: split(&args.category),
        event_types: split(&args.event_type),
    };
    anyhow::ensure!(args.after >= 0, "--after is a position, 0 or more");
    anyhow::ensure!(args.limit.is_none_or(|l| l >= 1), "--limit is 1 or more");
    let source = Source::open(&args.source).await?;
    let mut printer = Printer::new(args.format);
    source
        .events(
            Read::Log {
                after: args.after,
                filter,
                limit: args.limit,
            },
            &CancellationToken::new(),
            |_| {},
            |event, line| printer.event(event, line),
        )
        .await?;
    printer.finish()
}

async fn verify(args: AuditVerify) -> anyhow::Result<ExitCode> {
    let source = Source::open(&args.source).await?;
    if matches!(source, Source::Server(_)) {
        eprintln!("verifying on the server…");
    }
    let mut progress = Progress::start("verify");
    let result = source
        .verify(args.from, |done, total| progress.update(done, total))
        .await;
    progress.finish();
    let result = result?;
    let range = match (result.first_position, result.last_position) {
        (Some(first), Some(last)) => format!("positions {first}–{last}"),
        _ => "no events".to_owned(),
    };
    let from = result.anchor.as_ref().map_or(String::new(), |anchor| {
        format!(", from the anchor at position {}", anchor.position)
    });
    match &result.broken {
        None => {
            println!(
                "clean: {} events verified ({range}{from}), {} anchors matched; head {} hash {}; {:.2} s",
                result.checked,
                result.anchors_checked,
                result.head_position,
                result.head_hash.as_deref().unwrap_or("(none)"),
                result.seconds,
            );
            if result.unchained_prefix > 0 {
                println!(
                    "({} events before the chain began are not verifiable)",
                    result.unchained_prefix
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(broken) => {
            println!(
                "BROKEN at position {}: {}: {}",
                broken.position, broken.kind, broken.detail
            );
            println!(
                "({} events read before the break{from}; head {})",
                result.checked, result.head_position
            );
            Ok(ExitCode::from(1))
        }
    }
}
