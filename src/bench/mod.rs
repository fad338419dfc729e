//! `lectern bench …`: throughput and latency on real services. Benchmarks, not tests:
//! each run prints what it measured, beside a baseline measured in the same run.

mod agents;
mod append;
mod audit;
mod e2e;
mod http;
mod latency;
mod lifecycle;
mod live;
mod rebuild;
mod relay;
mod scratch;

use serde::Serialize;

use crate::cli::Bench;

pub async fn run(bench: &Bench) -> anyhow::Result<()> {
    match bench {
        Bench::Agents(args) => agents::run(args).await,
        Bench::Append(args) => append::run(args).await,
        Bench::Audit(args) => audit::run(args).await,
        Bench::E2e(args) => e2e::run(args).await,
        Bench::Http(args) => http::run(args).await,
        Bench::Live(args) => live::run(args).await,
        Bench::Relay(args) => relay::run(args).await,
        Bench::Rebuild(args) => rebuild::run(args).await,
    }
}

/// Print a benchmark's report: one line of JSON with `--json`, else its table.
fn print<R: Serialize>(json: bool, report: &R, table: fn(&R)) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string(report)?);
    } else {
        table(report);
    }
    Ok(())
}
