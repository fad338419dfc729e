//! Printing events and states for `lectern audit stream` and `log`: an aligned table for
//! people, or NDJSON lines for tools. A closed pipe (`| head`) ends the output quietly.

use std::io::{self, BufWriter, Stdout, Write};

use api::audit::{AuditEvent, StateAsOf};

use super::source::Flow;
use crate::cli::AuditFormat;

pub struct Printer {
    format: AuditFormat,
    out: BufWriter<Stdout>,
    header_done: bool,
}

impl Printer {
    pub fn new(format: AuditFormat) -> Self {
        Self {
            format,
            out: BufWriter::new(io::stdout()),
            header_done: false,
        }
    }

    /// Print one event; `Stop` when stdout is closed.
    pub fn event(&mut self, event: &AuditEvent, line: &[u8]) -> anyhow::Result<Flow> {
        let written = match self.format {
            AuditFormat::Ndjson => self
                .out
                .write_all(line)
                .and_then(|()| self.out.write_all(b"\n")),
            AuditFormat::Table => self.row(event),
        };
        closed_pipe(written)
    }

    fn row(&mut self, event: &AuditEvent) -> io::Result<()> {
        if !self.header_done {
            self.header_done = true;
            writeln!(
                self.out,
                "{:>10}  {:<27}  {:<44}  {:>7}  {:<32}  ACTOR",
                "POSITION", "RECORDED_AT", "STREAM", "VERSION", "TYPE"
            )?;
        }
        let actor = match (
            event.metadata["actor_role"].as_str(),
            event.metadata["actor_id"].as_str(),
        ) {
            (Some(role), Some(id)) => format!("{role} {id}"),
            (None, Some(id)) => id.to_owned(),
            _ => "-".to_owned(),
        };
        writeln!(
            self.out,
            "{:>10}  {:<27}  {:<44}  {:>7}  {:<32}  {actor}",
            event.position,
            event
                .recorded_at
                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            event.stream_id,
            event.stream_version,
            event.event_type,
        )
    }

    /// Print a state as it stood.
    pub fn state(&mut self, state: &StateAsOf) -> anyhow::Result<()> {
        let written = match self.format {
            AuditFormat::Ndjson => serde_json::to_writer(&mut self.out, state)
                .map_err(io::Error::from)
                .and_then(|()| self.out.write_all(b"\n")),
            AuditFormat::Table => writeln!(
                self.out,
                "{} at version {} (position {}, recorded {})",
                state.stream_id,
                state.version,
                state.position,
                state
                    .recorded_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            )
            .and_then(|()| {
                serde_json::to_writer_pretty(&mut self.out, &state.state).map_err(io::Error::from)
            })
            .and_then(|()| self.out.write_all(b"\n")),
        };
        closed_pipe(written).map(|_| ())
    }

    pub fn finish(mut self) -> anyhow::Result<()> {
        closed_pipe(self.out.flush()).map(|_| ())
    }
}

fn closed_pipe(written: io::Result<()>) -> anyhow::Result<Flow> {
    match written {
        Ok(()) => Ok(Flow::Continue),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(Flow::Stop),
        Err(error) => Err(anyhow::Error::new(error).context("cannot write to stdout")),
    }
}
