use std::fmt;

use serde::Deserialize;

use super::ValueError;

/// A password as a person typed it: 12–1024 characters, kept exactly (no trimming).
///
/// It lives only between the request and the hasher at the edge (the API hashes it with
/// argon2id into a [`super::PasswordHash`]); no command, event or state ever holds one.
/// So it deliberately is not `Serialize`, `Display`, `Clone` or `PartialEq`, and its
/// `Debug` prints `Password(***)`: logging a request that carries one cannot leak it.
/// [`Password::expose`] is the one way to read it, named so that every use stands out.
#[derive(Deserialize)]
#[serde(try_from = "String")]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 12;
    /// Long enough for any passphrase, short enough that hashing it stays cheap.
    pub const MAX_CHARS: usize = 1024;

    pub fn parse(raw: impl Into<String>) -> Result<Self, ValueError> {
        let raw = raw.into();
        let chars = raw.chars().count();
        if (Self::MIN_CHARS..=Self::MAX_CHARS).contains(&chars) {
            Ok(Self(raw))
        } else {
            Err(ValueError::PasswordLength { chars })
        }
    }

    /// The secret itself, for the password hasher and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Password {
    type Error = ValueError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(raw)
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_of_twelve_characters_is_accepted() {
        assert_eq!(
            Password::parse("correcthorse").unwrap().expose(),
            "correcthorse"
        );
    }

    #[test]
    fn a_password_of_1024_characters_is_accepted() {
        let raw = "ä".repeat(1024);
        assert_eq!(Password::parse(raw.clone()).unwrap().expose(), raw);
    }

    #[test]
    fn a_password_of_eleven_characters_is_rejected() {
        let error = Password::parse("short-pass!").unwrap_err();
        assert_eq!(error, ValueError::PasswordLength { chars: 11 });
        assert_eq!(error.field(), "password");
        assert_eq!(
            error.to_string(),
            "password must be 12–1024 characters (got 11)"
        );
    }

    #[test]
    fn a_password_of_1025_characters_is_rejected() {
        assert_eq!(
            Password::parse("ä".repeat(1025)).unwrap_err(),
            ValueError::PasswordLength { chars: 1025 }
        );
    }

    #[test]
    fn a_password_keeps_its_whitespace() {
        let raw = "  spaced out  ";
        assert_eq!(Password::parse(raw).unwrap().expose(), raw);
    }

    #[test]
    fn a_password_never_prints_its_secret() {
        let password = Password::parse("hunter2hunter2").unwrap();
        let printed = format!("{password:?} {password:#?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(printed.contains("***"));
    }

    #[test]
    fn a_password_deserializes_through_parse() {
        assert!(serde_json::from_value::<Password>(serde_json::json!("short")).is_err());
        let password: Password =
            serde_json::from_value(serde_json::json!("long enough, really")).unwrap();
        assert_eq!(password.expose(), "long enough, really");
    }
}
