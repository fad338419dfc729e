//! `lectern projections rebuild <name> | --all`: rebuild read models from the store into
//! fresh tables and swap them in (live workers may keep running), with progress on stderr
//! and the rate on stdout.

use anyhow::{Context, bail};

use crate::cli::RebuildArgs;
use crate::db;
use crate::progress::Progress;
use crate::read_models::ReadModel;

pub async fn run(args: RebuildArgs) -> anyhow::Result<()> {
    let models = match (&args.name, args.all) {
        (_, true) => ReadModel::ALL.to_vec(),
        (Some(name), false) => match ReadModel::by_name(name) {
            Some(model) => vec![model],
            None => bail!(
                "unknown projection `{name}`; known projections: {}",
                ReadModel::names()
            ),
        },
        (None, false) => bail!("name a projection or pass --all"),
    };
    let pool = db::connect_and_migrate(&args.db).await?;
    for model in models {
        let mut progress = Progress::start(format!("rebuild {}", model.name()));
        let rebuilt = model
            .rebuild(&pool, |done, total| progress.update(done, total))
            .await;
        progress.finish();
        let rebuilt = rebuilt.with_context(|| format!("rebuilding `{}` failed", model.name()))?;
        // Positions are dense, so the position reached is the number of log events read.
        let rate = rebuilt.position as f64 / rebuilt.seconds.max(f64::EPSILON);
        println!(
            "{}: rebuilt to position {} in {:.2} s ({:.0} events/s)",
            model.name(),
            rebuilt.position,
            rebuilt.seconds,
            rate
        );
    }
    Ok(())
}
