//! `lectern audit …`: the auditors' commands and their flags.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::Database;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// One stream's events in order, or with --as-of the aggregate's state as it stood.
    Stream(AuditStream),
    /// The log in position order, filtered by category and event type.
    Log(AuditLog),
    /// Export the log to an NDJSON file (resumable: rerun to continue where it stopped).
    Export(AuditExport),
    /// Recompute the log's hash chain: exit 0 when clean, 1 at the first break.
    Verify(AuditVerify),
}

/// Where history is read: the database (the default), or a Lectern server over HTTP.
#[derive(Debug, Args, Clone)]
pub struct AuditSource {
    #[command(flatten)]
    pub db: Database,
    /// Ask this Lectern server (e.g. http://127.0.0.1:8080) instead of the database.
    #[arg(long, env = "LECTERN_SERVER")]
    pub server: Option<String>,
    /// The access token of an auditor or admin (`POST /v1/auth/token`), for --server.
    #[arg(long, env = "LECTERN_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
}

/// How events are printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// One aligned line per event (a state: its JSON, indented).
    #[default]
    Table,
    /// One JSON object per line, as the API's NDJSON.
    Ndjson,
}

#[derive(Debug, Args)]
pub struct AuditStream {
    #[command(flatten)]
    pub source: AuditSource,
    /// The stream, `<category>-<uuid>` (e.g. `lesson-0190…`).
    pub stream_id: String,
    /// Show the aggregate's state as it stood at this version (a number) or at this time
    /// (RFC 3339, e.g. 2026-11-22T10:00:00Z) instead of the events.
    #[arg(long)]
    pub as_of: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: AuditFormat,
}

#[derive(Debug, Args)]
pub struct AuditLog {
    #[command(flatten)]
    pub source: AuditSource,
    /// Events after this position (exclusive).
    #[arg(long, default_value_t = 0)]
    pub after: i64,
    /// Only streams of these categories (comma-separated, e.g. `lesson,user`).
    #[arg(long)]
    pub category: Option<String>,
    /// Only these event types (comma-separated, e.g. `LessonPublished`).
    #[arg(long = "type")]
    pub event_type: Option<String>,
    /// At most this many events [default: all, up to the head when the read began].
    #[arg(long)]
    pub limit: Option<i64>,
    #[arg(long, value_enum, default_value_t)]
    pub format: AuditFormat,
}

#[derive(Debug, Args)]
pub struct AuditExport {
    #[command(flatten)]
    pub source: AuditSource,
    /// The NDJSON file to write. If it exists, the export continues after the last
    /// position in it (a partial last line, from a crash, is dropped first).
    #[arg(long)]
    pub out: PathBuf,
    /// Start after this position (for a new file, or with --restart).
    #[arg(long)]
    pub after: Option<i64>,
    /// Overwrite an existing file instead of continuing it.
    #[arg(long)]
    pub restart: bool,
}

#[derive(Debug, Args)]
pub struct AuditVerify {
    #[command(flatten)]
    pub source: AuditSource,
    /// Start at the nearest anchor at or below this position (its hash trusted as the
    /// chain's) [default: from the first event].
    #[arg(long)]
    pub from: Option<i64>,
}
