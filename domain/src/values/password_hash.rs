use std::fmt;

use serde::{Deserialize, Serialize};

use super::ValueError;

/// A password hash as an opaque PHC string, e.g.
/// `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`, made at the edge from a
/// [`super::Password`] and the only form of a password that commands, events and state
/// hold.
///
/// The domain never hashes or verifies: it checks only the PHC shape (a `$`, an algorithm
/// id of `a-z`, `0-9`, `-`, then non-empty `$`-separated fields of printable ASCII), so a
/// plain password can never be stored by mistake. Its `Debug` shows only the algorithm
/// (`PasswordHash($argon2id$***)`), and it has no `Display`; [`PasswordHash::as_str`] is
/// for the verifier.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PasswordHash(String);

impl PasswordHash {
    pub const MAX_CHARS: usize = 1024;

    pub fn parse(raw: impl Into<String>) -> Result<Self, ValueError> {
        let raw = raw.into();
        let malformed = |reason| Err(ValueError::PasswordHashMalformed { reason });
        if raw.len() > Self::MAX_CHARS {
            return malformed("it is longer than 1024 characters");
        }
        if !raw.chars().all(|c| c.is_ascii_graphic()) {
            return malformed("it must be printable ASCII without spaces");
        }
        let Some(rest) = raw.strip_prefix('$') else {
            return malformed("it must start with `$`");
        };
        let mut fields = rest.split('$');
        let algorithm = fields.next().unwrap_or_default();
        let algorithm_ok = (1..=32).contains(&algorithm.len())
            && algorithm
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !algorithm_ok {
            return malformed("the algorithm id must be 1–32 characters of `a-z0-9-`");
        }
        let rest: Vec<&str> = fields.collect();
        if rest.is_empty() || rest.iter().any(|field| field.is_empty()) {
            return malformed("it must have non-empty `$`-separated fields after the algorithm");
        }
        Ok(Self(raw))
    }

    /// The PHC string, for the password verifier.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The algorithm id, e.g. `argon2id`.
    pub fn algorithm(&self) -> &str {
        // `parse` guarantees a leading `$` followed by the id.
        self.0.split('$').nth(1).unwrap_or_default()
    }
}

impl TryFrom<String> for PasswordHash {
    type Error = ValueError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(raw)
    }
}

impl From<PasswordHash> for String {
    fn from(hash: PasswordHash) -> Self {
        hash.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PasswordHash(${}$***)", self.algorithm())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARGON2ID: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA";

    #[test]
    fn an_argon2id_phc_string_is_accepted_as_is() {
        let hash = PasswordHash::parse(ARGON2ID).unwrap();
        assert_eq!(hash.as_str(), ARGON2ID);
        assert_eq!(hash.algorithm(), "argon2id");
    }

    #[test]
    fn other_phc_algorithms_are_accepted() {
        assert_eq!(
            PasswordHash::parse("$scrypt$ln=15,r=8,p=1$c2FsdA$aGFzaA")
                .unwrap()
                .algorithm(),
            "scrypt"
        );
    }

    #[test]
    fn strings_that_are_not_phc_are_rejected() {
        for raw in [
            "",
            "hunter2hunter2",
            "argon2id$v=19$salt$hash",
            "$",
            "$argon2id",
            "$argon2id$",
            "$Argon2id$v=19$hash",
            "$argon2id$$hash",
            "$argon2id$v=19$salt hash",
        ] {
            let error = PasswordHash::parse(raw).unwrap_err();
            assert!(
                matches!(error, ValueError::PasswordHashMalformed { .. }),
                "{raw:?}"
            );
            assert_eq!(error.field(), "password_hash");
        }
    }

    #[test]
    fn a_hash_longer_than_1024_characters_is_rejected() {
        let raw = format!("$argon2id${}", "a".repeat(1024));
        assert!(PasswordHash::parse(raw).is_err());
    }

    #[test]
    fn a_password_hash_never_prints_its_salt_or_hash() {
        let hash = PasswordHash::parse(ARGON2ID).unwrap();
        let printed = format!("{hash:?} {hash:#?}");
        assert!(!printed.contains("c2FsdHNhbHRzYWx0"), "{printed}");
        assert!(!printed.contains("aGFzaGhhc2hoYXNoaGFzaA"), "{printed}");
        assert_eq!(format!("{hash:?}"), "PasswordHash($argon2id$***)");
    }

    #[test]
    fn a_password_hash_is_a_plain_string_in_json_and_deserializing_validates() {
        let hash = PasswordHash::parse(ARGON2ID).unwrap();
        assert_eq!(serde_json::to_value(&hash).unwrap(), ARGON2ID);
        assert_eq!(
            serde_json::from_value::<PasswordHash>(serde_json::json!(ARGON2ID)).unwrap(),
            hash
        );
        assert!(serde_json::from_value::<PasswordHash>(serde_json::json!("plain")).is_err());
    }
}
