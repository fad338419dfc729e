//! [`ApiKey`]: a provider's API key, kept out of Debug output, logs and errors. It has no
//! `Display` and a redacting `Debug`; only the HTTP providers read it, to set a header (and
//! to scrub it from error bodies). It must never be formatted into a message. It holds a
//! [`SecretString`] (the `secrecy` crate, as every secret of Lectern's does): wiped from
//! memory when dropped.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// A provider API key. `Debug` prints `ApiKey(***)`.
#[derive(Clone)]
pub struct ApiKey(SecretString);

impl ApiKey {
    /// `None` for an empty or blank key (an unset-but-exported environment variable).
    pub fn new(key: impl Into<String>) -> Option<Self> {
        let key = key.into().trim().to_owned();
        (!key.is_empty()).then(|| Self(SecretString::from(key)))
    }

    /// The key itself, for the request header. Never log or format it.
    pub(crate) fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl PartialEq for ApiKey {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for ApiKey {}

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
