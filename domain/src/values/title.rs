use serde::{Deserialize, Serialize};

use super::ValueError;

/// A lesson's title: trimmed, 1–200 characters.
///
/// Characters are Unicode scalar values, the unit PostgreSQL's `varchar(n)` counts, so a
/// read model column sized to the rule always fits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Title(String);

impl Title {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: impl AsRef<str>) -> Result<Self, ValueError> {
        let trimmed = raw.as_ref().trim();
        let chars = trimmed.chars().count();
        if (1..=Self::MAX_CHARS).contains(&chars) {
            Ok(Self(trimmed.to_owned()))
        } else {
            Err(ValueError::TitleLength { chars })
        }
    }
}

text_value!(Title);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_of_one_character_is_accepted() {
        assert_eq!(Title::parse("a").unwrap().as_str(), "a");
    }

    #[test]
    fn a_title_of_two_hundred_characters_is_accepted() {
        let raw = "é".repeat(200);
        assert_eq!(Title::parse(&raw).unwrap().as_str(), raw);
    }

    #[test]
    fn an_empty_title_is_rejected() {
        assert_eq!(Title::parse(""), Err(ValueError::TitleLength { chars: 0 }));
    }

    #[test]
    fn a_title_of_only_whitespace_is_rejected() {
        assert_eq!(
            Title::parse(" \t\n "),
            Err(ValueError::TitleLength { chars: 0 })
        );
    }

    #[test]
    fn a_title_of_two_hundred_and_one_characters_is_rejected() {
        assert_eq!(
            Title::parse("é".repeat(201)),
            Err(ValueError::TitleLength { chars: 201 })
        );
    }

    #[test]
    fn a_title_is_trimmed_before_it_is_measured() {
        let raw = format!("  {}  ", "a".repeat(200));
        assert_eq!(Title::parse(&raw).unwrap().as_str(), "a".repeat(200));
    }

    #[test]
    fn a_title_error_names_the_field_and_the_rule() {
        let error = Title::parse("").unwrap_err();
        assert_eq!(error.field(), "title");
        assert_eq!(error.to_string(), "title must be 1–200 characters (got 0)");
    }

    #[test]
    fn a_title_serializes_as_a_plain_string_and_deserializing_validates() {
        let title = Title::parse("Fractions").unwrap();
        assert_eq!(serde_json::to_value(&title).unwrap(), "Fractions");
        assert_eq!(
            serde_json::from_value::<Title>(serde_json::json!("  Fractions ")).unwrap(),
            title
        );
        assert!(serde_json::from_value::<Title>(serde_json::json!("   ")).is_err());
    }
}
