//! [`ApiKey`]: a provider's API key, kept out of Debug output, logs and errors. It has no
//! `Display` and a redacting `Debug`; only the HTTP providers read it, to set a header (and
//! to scrub it from error bodies). It must never be formatted into a message.

use std::fmt;

/// A provider API key. `Debug` prints `ApiKey(***)`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// `None` for an empty or blank key (an unset-but-exported environment variable).
    pub fn new(key: impl Into<String>) -> Option<Self> {
        let key = key.into().trim().to_owned();
        (!key.is_empty()).then_some(Self(key))
    }

    /// The key itself, for the request header. Never log or format it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_key() {
        let key = ApiKey::new("sk-very-secret").unwrap();
        let shown = format!("{key:?} {:?}", Some(key.clone()));
        assert!(!shown.contains("very-secret"), "{shown}");
        assert_eq!(key.expose(), "sk-very-secret");
    }

    #[test]
    fn blank_keys_are_none() {
        assert_eq!(ApiKey::new(""), None);
        assert_eq!(ApiKey::new("  \n"), None);
    }
}
