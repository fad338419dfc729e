use serde::{Deserialize, Serialize};

use super::ValueError;

/// A user's login name: 3–50 characters of `a-z`, `0-9`, `_`, `.` and `-`, after trimming
/// surrounding whitespace.
///
/// Uppercase letters are rejected with their own message rather than lowercased: a
/// username is shown back to people and reserved as written, so `Ada` silently becoming
/// `ada` would surprise the person who chose it, while a clear "must be lowercase" lets
/// them pick. Being lowercase only, a username is its own normalised form for the
/// store's uniqueness reservation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl Username {
    pub const MIN_CHARS: usize = 3;
    pub const MAX_CHARS: usize = 50;

    pub fn parse(raw: impl AsRef<str>) -> Result<Self, ValueError> {
        let trimmed = raw.as_ref().trim();
        if let Some(found) = trimmed.chars().find(|c| c.is_uppercase()) {
            return Err(ValueError::UsernameNotLowercase { found });
        }
        if let Some(found) = trimmed.chars().find(|c| !Self::allowed(*c)) {
            return Err(ValueError::UsernameCharacter { found });
        }
        // Every allowed character is ASCII, so bytes are characters here.
        let chars = trimmed.len();
        if (Self::MIN_CHARS..=Self::MAX_CHARS).contains(&chars) {
            Ok(Self(trimmed.to_owned()))
        } else {
            Err(ValueError::UsernameLength { chars })
        }
    }

    fn allowed(c: char) -> bool {
        c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-')
    }
}

text_value!(Username);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_username_of_three_characters_is_accepted() {
        assert_eq!(Username::parse("ada").unwrap().as_str(), "ada");
    }

    #[test]
    fn a_username_of_fifty_characters_is_accepted() {
        let raw = "a".repeat(50);
        assert_eq!(Username::parse(&raw).unwrap().as_str(), raw);
    }

    #[test]
    fn every_allowed_character_is_accepted() {
        let raw = "abcdefghijklmnopqrstuvwxyz0123456789_.-";
        assert_eq!(Username::parse(raw).unwrap().as_str(), raw);
    }

    #[test]
    fn a_username_of_two_characters_is_rejected() {
        assert_eq!(
            Username::parse("ab"),
            Err(ValueError::UsernameLength { chars: 2 })
        );
    }

    #[test]
    fn a_username_of_fifty_one_characters_is_rejected() {
        assert_eq!(
            Username::parse("a".repeat(51)),
            Err(ValueError::UsernameLength { chars: 51 })
        );
    }

    #[test]
    fn a_username_is_trimmed_before_it_is_checked() {
        assert_eq!(Username::parse("  ada.l \n").unwrap().as_str(), "ada.l");
        assert_eq!(
            Username::parse("   "),
            Err(ValueError::UsernameLength { chars: 0 })
        );
    }

    #[test]
    fn an_uppercase_username_is_rejected_not_lowercased() {
        let error = Username::parse("Ada").unwrap_err();
        assert_eq!(error, ValueError::UsernameNotLowercase { found: 'A' });
        assert_eq!(error.field(), "username");
        assert_eq!(error.to_string(), "username must be lowercase (found `A`)");
    }

    #[test]
    fn other_characters_are_rejected_and_named() {
        for (raw, found) in [
            ("ada lovelace", ' '),
            ("ada@home", '@'),
            ("adé", 'é'),
            ("ada+1", '+'),
        ] {
            assert_eq!(
                Username::parse(raw),
                Err(ValueError::UsernameCharacter { found })
            );
        }
    }

    #[test]
    fn a_username_deserializes_through_parse() {
        assert!(serde_json::from_value::<Username>(serde_json::json!("Ada")).is_err());
        let username: Username = serde_json::from_value(serde_json::json!("ada")).unwrap();
        assert_eq!(serde_json::to_value(username).unwrap(), "ada");
    }
}
