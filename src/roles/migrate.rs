//! `lectern migrate`: apply the migrations and exit (every role also does it at start).

use crate::{cli::Database, db};

pub async fn run(db: &Database) -> anyhow::Result<()> {
    db::connect_and_migrate(db).await?;
    tracing::info!("migrations applied");
    Ok(())
}
