//! `lectern projections rebuild <name> | --all [--from <name>]`: rebuild read models from
//! the store into fresh tables and swap them in (live workers may keep running), with a
//! progress bar (rate, ETA) on stderr and the rate on stdout.
//!
//! Interrupting and resuming: a rebuild writes into a schema of its own
//! (`rebuild_<name>`) and swaps it in with one transaction at the end
//! (`projections::rebuild`), so the live `read.*` tables change only at that commit. Ctrl-C
//! (or SIGTERM) stops the rebuild in hand: its open transaction rolls back, the live tables
//! and the projection's checkpoint are exactly as they were (the live worker, if any, goes
//! on from its own checkpoint), and the half-built schema is left until the next rebuild of
//! that model drops it. A rebuild itself does not resume midway: rerunning it starts that
//! model over from position 0 (a rebuild reads the whole log by design). `--all` resumes
//! between models: the models finished before the interruption are swapped in and stay so,
//! and the command prints the `--all --from <name>` that continues with the interrupted one.
//! An interrupted run exits 130.

use std::io::Write;

use anyhow::{Context, bail};

use crate::cli::RebuildArgs;
use crate::db;
use crate::progress::Progress;
use crate::read_models::ReadModel;
use crate::shutdown;

/// Exit code of a rebuild stopped by a signal (128 + SIGINT).
const INTERRUPTED: u8 = 130;

pub async fn run(args: RebuildArgs) -> anyhow::Result<()> {
    let models = chosen(&args)?;
    let pool = db::connect_and_migrate(&args.db).await?;
    let stop = shutdown::on_signal()?;
    for (index, model) in models.iter().copied().enumerate() {
        let mut progress = Progress::start(format!("rebuild {}", model.name()));
        let rebuilt = tokio::select! {
            rebuilt = model.rebuild(&pool, |done, total| progress.update(done, total)) => Some(rebuilt),
            () = stop.cancelled() => None,
        };
        progress.finish();
        let Some(rebuilt) = rebuilt else {
            interrupted(&args, &models, index);
            // The lines of the models already rebuilt must not stay in stdout's buffer.
            let _ = std::io::stdout().flush();
            std::process::exit(i32::from(INTERRUPTED));
        };
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

/// The models to rebuild, in order.
fn chosen(args: &RebuildArgs) -> anyhow::Result<Vec<ReadModel>> {
    let known = |name: &str| {
        ReadModel::by_name(name).with_context(|| {
            format!(
                "unknown projection `{name}`; known projections: {}",
                ReadModel::names()
            )
        })
    };
    match (&args.name, args.all) {
        (_, true) => {
            let start = match &args.from {
                Some(from) => {
                    let from = known(from)?;
                    ReadModel::ALL.iter().position(|m| *m == from).unwrap_or(0)
                }
                None => 0,
            };
            Ok(ReadModel::ALL[start..].to_vec())
        }
        (Some(name), false) => Ok(vec![known(name)?]),
        (None, false) => bail!("name a projection or pass --all"),
    }
}

/// Say what an interruption left behind, and how to go on.
fn interrupted(args: &RebuildArgs, models: &[ReadModel], index: usize) {
    let model = models[index];
    let done: Vec<&str> = models[..index].iter().map(|m| m.name()).collect();
    eprintln!(
        "interrupted: the rebuild of `{}` was abandoned; its live tables and checkpoint are as they were",
        model.name()
    );
    if !done.is_empty() {
        eprintln!("rebuilt and swapped in before that: {}", done.join(", "));
    }
    if args.all {
        eprintln!(
            "continue with: lectern projections rebuild --all --from {}",
            model.name()
        );
    } else {
        eprintln!(
            "rerun `lectern projections rebuild {}` to rebuild it from the start",
            model.name()
        );
    }
}
