//! `lectern audit export --out FILE.ndjson [--after P] [--restart]`: the log, one event per
//! line, into a file that is always valid NDJSON and can be continued.
//!
//! - **Resuming.** With an existing file (and no `--restart`) the export continues after
//!   the position of the file's last line. A partial last line (a crash or `kill -9` in
//!   the middle of a write) is cut off first, so the file is whole lines only and a
//!   continued export has no duplicate and no gap: positions are dense, and each run
//!   writes every event after its start, in order.
//! - **Stopping.** Ctrl-C (or SIGTERM) stops between two lines: the lines written so far
//!   are flushed and synced, the file ends with a whole line, and the command says where
//!   it stopped and exits 130. Running the same command again continues from there.
//! - **Progress.** A bar with rate and ETA on a terminal (a log line every few seconds
//!   otherwise), in events out of the log's head when the export began; a run exports up
//!   to that head, so it ends even while appends go on.

use std::cell::Cell;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use eventstore::LogFilter;

use super::source::{Flow, Read as ReadEvents, Source};
use crate::cli::AuditExport;
use crate::progress::Progress;
use crate::shutdown;

/// Exit code of an export stopped by a signal (128 + SIGINT, as shells report it).
const INTERRUPTED: u8 = 130;

pub async fn run(args: AuditExport) -> anyhow::Result<ExitCode> {
    let source = Source::open(&args.source).await?;
    let out = &args.out;
    let resumed = if args.restart {
        None
    } else {
        last_position(out)?
    };
    let after = match (resumed, args.after) {
        (Some(last), Some(after)) if last != after => bail!(
            "{} already holds the log up to position {last}; rerun without --after to continue \
             it, or pass --restart to start over after {after}",
            out.display()
        ),
        (Some(last), _) => last,
        (None, after) => after.unwrap_or(0),
    };
    if let Some(last) = resumed {
        eprintln!(
            "{} holds the log up to position {last}: continuing",
            out.display()
        );
    }
    let file = OpenOptions::new()
        .create(true)
        .append(!args.restart)
        .write(true)
        .truncate(args.restart)
        .open(out)
        .with_context(|| format!("cannot open {}", out.display()))?;
    let mut writer = BufWriter::with_capacity(1 << 20, file);

    let stop = shutdown::on_signal()?;
    let started = Instant::now();
    let mut progress = Progress::start("export");
    let head = Cell::new(after);
    let (mut written, mut last) = (0u64, after);
    let read = source
        .events(
            ReadEvents::Log {
                after,
                filter: LogFilter::all(),
                limit: None,
            },
            &stop,
            |at| head.set(at),
            |event, line| {
                writer.write_all(line)?;
                writer.write_all(b"\n")?;
                written += 1;
                last = event.position;
                if written % 1_000 == 0 {
                    progress.update(last - after, head.get() - after);
                }
                Ok(Flow::Continue)
            },
        )
        .await;
    progress.update(last - after, head.get().max(last) - after);
    progress.finish();
    // Whole lines only went into the buffer: whatever happened, flush them.
    let file = writer
        .into_inner()
        .map_err(|error| error.into_error())
        .with_context(|| format!("cannot write {}", out.display()))?;
    file.sync_all()
        .with_context(|| format!("cannot sync {}", out.display()))?;
    read?;

    let seconds = started.elapsed().as_secs_f64();
    let rate = written as f64 / seconds.max(f64::EPSILON);
    if stop.is_cancelled() {
        eprintln!(
            "interrupted: {} holds the log up to position {last} ({written} events written now); \
             run the same command again to continue",
            out.display()
        );
        return Ok(ExitCode::from(INTERRUPTED));
    }
    println!(
        "exported {written} events (positions {}–{last}) to {} in {seconds:.2} s ({rate:.0} events/s)",
        after + 1,
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The position of the last whole line of an export file, after cutting off a partial
/// last line; None for a missing or empty file.
fn last_position(path: &Path) -> anyhow::Result<Option<i64>> {
    let mut file = match OpenOptions::new().read(true).write(true).open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(error).with_context(|| format!("cannot open {}", path.display()));
        }
    };
    let whole = whole_lines_len(&mut file)?;
    let len = file.metadata()?.len();
    if whole < len {
        eprintln!(
            "{}: cutting off a partial last line ({} bytes)",
            path.display(),
            len - whole
        );
        file.set_len(whole)?;
    }
    if whole == 0 {
        return Ok(None);
    }
    let line = last_line(&mut file, whole)?;
    let event: serde_json::Value = serde_json::from_slice(&line).with_context(|| {
        format!(
            "the last line of {} is not JSON: not an export? (--restart overwrites it)",
            path.display()
        )
    })?;
    event["position"]
        .as_i64()
        .map(Some)
        .with_context(|| format!("the last line of {} has no position", path.display()))
}

/// Where the last newline of the file ends (0: none).
fn whole_lines_len(file: &mut File) -> anyhow::Result<u64> {
    let len = file.metadata()?.len();
    let mut end = len;
    let mut block = vec![0u8; 64 * 1024];
    while end > 0 {
        let start = end.saturating_sub(block.len() as u64);
        let size = (end - start) as usize;
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut block[..size])?;
        if let Some(at) = block[..size].iter().rposition(|b| *b == b'\n') {
            return Ok(start + at as u64 + 1);
        }
        end = start;
    }
    Ok(0)
}

/// The last line of the file's first `whole` bytes (which end with a newline), without it.
fn last_line(file: &mut File, whole: u64) -> anyhow::Result<Vec<u8>> {
    let body_end = whole - 1;
    let mut start = body_end;
    let mut block = vec![0u8; 64 * 1024];
    // Walk back to the newline before the last line (or the start of the file).
    while start > 0 {
        let from = start.saturating_sub(block.len() as u64);
        let size = (start - from) as usize;
        file.seek(SeekFrom::Start(from))?;
        file.read_exact(&mut block[..size])?;
        if let Some(at) = block[..size].iter().rposition(|b| *b == b'\n') {
            start = from + at as u64 + 1;
            break;
        }
        start = from;
    }
    let mut line = vec![0u8; (body_end - start) as usize];
    file.seek(SeekFrom::Start(start))?;
    file.read_exact(&mut line)?;
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with(content: &[u8]) -> (tempdir::Dir, std::path::PathBuf) {
        let dir = tempdir::Dir::new();
        let path = dir.0.join("export.ndjson");
        std::fs::write(&path, content).unwrap();
        (dir, path)
    }

    /// A directory of its own under the system's temporary directory, removed on drop.
    mod tempdir {
        pub struct Dir(pub std::path::PathBuf);

        impl Dir {
            pub fn new() -> Self {
                let path = std::env::temp_dir().join(format!("lectern-{}", uuid::Uuid::new_v4()));
                std::fs::create_dir_all(&path).unwrap();
                Self(path)
            }
        }

        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    #[test]
    fn an_export_continues_after_its_last_whole_line_and_drops_a_partial_one() {
        let (_dir, path) = file_with(b"{\"position\":1}\n{\"position\":2}\n{\"posi");
        assert_eq!(last_position(&path).unwrap(), Some(2));
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"{\"position\":1}\n{\"position\":2}\n"
        );
        let (_dir, path) = file_with(b"{\"position\":7}\n");
        assert_eq!(last_position(&path).unwrap(), Some(7));
        let (_dir, path) = file_with(b"");
        assert_eq!(last_position(&path).unwrap(), None);
        let (_dir, path) = file_with(b"{\"posi");
        assert_eq!(last_position(&path).unwrap(), None);
        assert_eq!(std::fs::read(&path).unwrap(), b"");
    }

    #[test]
    fn a_long_last_line_is_found_across_blocks() {
        let long = format!("{{\"position\":42,\"x\":\"{}\"}}", "y".repeat(200_000));
        let content = format!("{{\"position\":41}}\n{long}\n");
        let (_dir, path) = file_with(content.as_bytes());
        assert_eq!(last_position(&path).unwrap(), Some(42));
    }
}
