//! The operators' one-off commands: the first admin (`users create`), the analysts'
//! database role, and rebuilding read models.

use clap::{Args, Subcommand};

use super::Database;

#[derive(Debug, Subcommand)]
pub enum AnalystRoleCommand {
    /// Create `lectern_analyst` (or set its password): LOGIN, SELECT on schema read.
    Create(AnalystRoleCreate),
}

#[derive(Debug, Args)]
pub struct AnalystRoleCreate {
    #[command(flatten)]
    pub db: Database,
    /// Read the password from the first line of standard input instead of prompting.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Register a user directly in the store (no server needed): the way to the first admin.
    Create(UsersCreate),
}

#[derive(Debug, Args)]
pub struct UsersCreate {
    #[command(flatten)]
    pub db: Database,
    /// 3-50 of [a-z0-9_.-].
    #[arg(long)]
    pub username: String,
    /// student, teacher, parent, admin, auditor, analyst or agent.
    #[arg(long)]
    pub role: String,
    /// [default: <username>@lectern.local]
    #[arg(long)]
    pub email: Option<String>,
    /// [default: the username]
    #[arg(long)]
    pub display_name: Option<String>,
    /// Read the password (at least 12 characters) from the first line of standard input
    /// instead of prompting for it.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum ProjectionsCommand {
    /// Rebuild a read model from the store into fresh tables and swap them in (Ctrl-C stops
    /// it, leaving the live tables as they were).
    Rebuild(RebuildArgs),
}

#[derive(Debug, Args)]
pub struct RebuildArgs {
    #[command(flatten)]
    pub db: Database,
    /// The projection to rebuild (e.g. `lessons`).
    #[arg(required_unless_present = "all")]
    pub name: Option<String>,
    /// Rebuild every projection, one after another.
    #[arg(long, conflicts_with = "name")]
    pub all: bool,
    /// With --all: start at this projection, skipping the ones before it (an interrupted
    /// `--all` names where to resume).
    #[arg(long, requires = "all")]
    pub from: Option<String>,
}
