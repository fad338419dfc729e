use serde::{Deserialize, Serialize};

use super::ValueError;

/// The setting generated content should use (e.g. `space station`, `rainforest`): trimmed,
/// 1–100 characters. Optional where it is used; absent means "the agents choose".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Theme(String);

impl Theme {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: impl AsRef<str>) -> Result<Self, ValueError> {
        let trimmed = raw.as_ref().trim();
        let chars = trimmed.chars().count();
        if (1..=Self::MAX_CHARS).contains(&chars) {
            Ok(Self(trimmed.to_owned()))
        } else {
            Err(ValueError::ThemeLength { chars })
        }
    }
}

text_value!(Theme);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_theme_of_one_character_is_accepted() {
        assert_eq!(Theme::parse("x").unwrap().as_str(), "x");
    }

    #[test]
    fn a_theme_of_one_hundred_characters_is_accepted() {
        let raw = "ø".repeat(100);
        assert_eq!(Theme::parse(&raw).unwrap().as_str(), raw);
    }

    #[test]
    fn an_empty_theme_is_rejected() {
        assert_eq!(
            Theme::parse("   "),
            Err(ValueError::ThemeLength { chars: 0 })
        );
    }

    #[test]
    fn a_theme_of_one_hundred_and_one_characters_is_rejected() {
        let error = Theme::parse("ø".repeat(101)).unwrap_err();
        assert_eq!(error, ValueError::ThemeLength { chars: 101 });
        assert_eq!(error.field(), "theme");
    }

    #[test]
    fn a_theme_is_trimmed_and_deserializes_through_parse() {
        assert_eq!(Theme::parse(" space ").unwrap().as_str(), "space");
        assert!(serde_json::from_value::<Theme>(serde_json::json!("")).is_err());
        let theme: Theme = serde_json::from_value(serde_json::json!("space")).unwrap();
        assert_eq!(serde_json::to_value(theme).unwrap(), "space");
    }
}
