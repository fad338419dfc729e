use serde::{Deserialize, Serialize};

use super::ValueError;

/// The name a user is shown by (e.g. `Ada Lovelace`): trimmed, 1–100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: impl AsRef<str>) -> Result<Self, ValueError> {
        let trimmed = raw.as_ref().trim();
        let chars = trimmed.chars().count();
        if (1..=Self::MAX_CHARS).contains(&chars) {
            Ok(Self(trimmed.to_owned()))
        } else {
            Err(ValueError::DisplayNameLength { chars })
        }
    }
}

text_value!(DisplayName);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_display_name_of_one_character_is_accepted() {
        assert_eq!(DisplayName::parse("A").unwrap().as_str(), "A");
    }

    #[test]
    fn a_display_name_of_one_hundred_characters_is_accepted() {
        let raw = "ő".repeat(100);
        assert_eq!(DisplayName::parse(&raw).unwrap().as_str(), raw);
    }

    #[test]
    fn an_empty_display_name_is_rejected() {
        assert_eq!(
            DisplayName::parse(" \t "),
            Err(ValueError::DisplayNameLength { chars: 0 })
        );
    }

    #[test]
    fn a_display_name_of_one_hundred_and_one_characters_is_rejected() {
        let error = DisplayName::parse("ő".repeat(101)).unwrap_err();
        assert_eq!(error, ValueError::DisplayNameLength { chars: 101 });
        assert_eq!(error.field(), "display_name");
    }

    #[test]
    fn a_display_name_is_trimmed() {
        assert_eq!(
            DisplayName::parse("  Ada Lovelace\n").unwrap().as_str(),
            "Ada Lovelace"
        );
    }

    #[test]
    fn a_display_name_deserializes_through_parse() {
        assert!(serde_json::from_value::<DisplayName>(serde_json::json!("")).is_err());
        let name: DisplayName = serde_json::from_value(serde_json::json!("Ada")).unwrap();
        assert_eq!(serde_json::to_value(name).unwrap(), "Ada");
    }
}
