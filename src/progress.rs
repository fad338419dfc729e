//! Progress of a long maintenance job on stderr: a bar with rate and ETA when stderr is a
//! terminal, a log line every few seconds otherwise (journald, CI, pipes).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Log lines no more often than this when stderr is not a terminal.
const LOG_EVERY: Duration = Duration::from_secs(5);

pub enum Progress {
    Bar(ProgressBar),
    Log {
        job: String,
        started: Instant,
        logged: Instant,
    },
}

impl Progress {
    /// Start showing the progress of `job` (e.g. `rebuild lessons`), counted in events.
    pub fn start(job: impl Into<String>) -> Self {
        let job = job.into();
        if !std::io::stderr().is_terminal() {
            let now = Instant::now();
            return Self::Log {
                job,
                started: now,
                logged: now,
            };
        }
        // Hidden until the first update gives it a length (no `0/0` flash).
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template(
            "{prefix} [{wide_bar}] {human_pos}/{human_len} events  {per_sec:0}  ETA {eta}",
        )
        // The template is a literal known to parse; fall back to the plain bar regardless.
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(job);
        Self::Bar(bar)
    }

    pub fn update(&mut self, done: i64, total: i64) {
        let (done, total) = (non_negative(done), non_negative(total));
        match self {
            Self::Bar(bar) => {
                let first = bar.length().is_none();
                bar.set_length(total);
                if first {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                }
                bar.set_position(done);
            }
            Self::Log {
                job,
                started,
                logged,
            } => {
                if logged.elapsed() < LOG_EVERY && done < total {
                    return;
                }
                *logged = Instant::now();
                let rate = done as f64 / started.elapsed().as_secs_f64().max(f64::EPSILON);
                let eta = (total - done) as f64 / rate.max(f64::EPSILON);
                tracing::info!(
                    job = %job,
                    done,
                    total,
                    events_per_sec = rate.round(),
                    eta_secs = eta.round(),
                    "progress"
                );
            }
        }
    }

    /// Take the bar off the terminal: the caller prints the outcome.
    pub fn finish(self) {
        if let Self::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}

fn non_negative(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}
