//! Where the events live in JetStream: the stream, its subjects, its dedup window.

use std::time::Duration;

use async_nats::jetstream::stream::{self, StorageType};

use crate::{Error, subject};

/// The JetStream side of the bus. Every process that relays or consumes events must agree
/// on it (env config of the `lectern` binary; a unique prefix and name per test).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusConfig {
    /// The JetStream stream holding every event. Default `LECTERN_EVENTS`.
    pub stream_name: String,
    /// The first tokens of every event subject. Default `lectern.events`.
    pub subject_prefix: String,
    /// How long JetStream remembers a `Nats-Msg-Id` to drop a re-published duplicate.
    /// Default 10 minutes; it must exceed the relay's longest retry
    /// ([`crate::RelayConfig::longest_retry`]).
    pub duplicate_window: Duration,
}

impl Default for BusConfig {
    fn default() -> Self {
        Self {
            stream_name: "LECTERN_EVENTS".to_owned(),
            subject_prefix: "lectern.events".to_owned(),
            duplicate_window: Duration::from_secs(600),
        }
    }
}

impl BusConfig {
    /// A bus on its own stream and prefix, with the default dedup window.
    pub fn new(stream_name: impl Into<String>, subject_prefix: impl Into<String>) -> Self {
        Self {
            stream_name: stream_name.into(),
            subject_prefix: subject_prefix.into(),
            ..Self::default()
        }
    }

    pub fn validate(&self) -> Result<(), Error> {
        let name = &self.stream_name;
        let name_ok = !name.is_empty()
            && name.len() <= 255
            && name
                .chars()
                .all(|c| c.is_ascii_graphic() && !matches!(c, '.' | '*' | '>' | '/' | '\\'));
        if !name_ok {
            return Err(Error::Config(format!(
                "stream name `{name}` must be 1-255 printable ASCII characters without . * > / \\"
            )));
        }
        if self.subject_prefix.is_empty() {
            return Err(Error::Config("the subject prefix is empty".to_owned()));
        }
        for token in self.subject_prefix.split('.') {
            subject::check_token(token)?;
        }
        if self.duplicate_window < Duration::from_secs(1) {
            return Err(Error::Config(format!(
                "a duplicate window of {:?} is too short to dedup anything",
                self.duplicate_window
            )));
        }
        Ok(())
    }

    /// The stream as the bus wants it: file storage, every event subject, no limits.
    pub fn stream_config(&self) -> stream::Config {
        stream::Config {
            name: self.stream_name.clone(),
            subjects: vec![subject::all(&self.subject_prefix)],
            storage: StorageType::File,
            duplicate_window: self.duplicate_window,
            // Direct gets let readers in other languages fetch by sequence from any replica
            // (NATS 2.9+). The relay itself reads from the leader (see `relay::resync`).
            allow_direct: true,
            description: Some(
                "Lectern events, relayed from the event store in position order".to_owned(),
            ),
            ..stream::Config::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_configuration_is_valid() {
        BusConfig::default().validate().unwrap();
    }

    #[test]
    fn stream_names_and_prefixes_that_nats_cannot_use_are_rejected() {
        for (name, prefix) in [
            ("", "lectern.events"),
            ("LECTERN.EVENTS", "lectern.events"),
            ("A B", "lectern.events"),
            ("LECTERN", ""),
            ("LECTERN", "lectern..events"),
            ("LECTERN", "lectern.*"),
            ("LECTERN", "lectern.>"),
            ("LECTERN", "lectern events"),
        ] {
            assert!(
                BusConfig::new(name, prefix).validate().is_err(),
                "{name:?} {prefix:?}"
            );
        }
    }
}
