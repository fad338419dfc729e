use serde::{Deserialize, Serialize};

use super::ValueError;

/// A lesson's description: 0–5000 characters, kept exactly as written (it may be
/// formatted text, where leading whitespace means something).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Description(String);

impl Description {
    pub const MAX_CHARS: usize = 5000;

    pub fn parse(raw: impl AsRef<str>) -> Result<Self, ValueError> {
        let raw = raw.as_ref();
        let chars = raw.chars().count();
        if chars <= Self::MAX_CHARS {
            Ok(Self(raw.to_owned()))
        } else {
            Err(ValueError::DescriptionTooLong { chars })
        }
    }

    pub fn empty() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

text_value!(Description);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_description_is_accepted() {
        assert!(Description::parse("").unwrap().is_empty());
        assert_eq!(Description::empty(), Description::parse("").unwrap());
    }

    #[test]
    fn a_description_of_five_thousand_characters_is_accepted() {
        let raw = "ß".repeat(5000);
        assert_eq!(Description::parse(&raw).unwrap().as_str(), raw);
    }

    #[test]
    fn a_description_of_five_thousand_and_one_characters_is_rejected() {
        assert_eq!(
            Description::parse("ß".repeat(5001)),
            Err(ValueError::DescriptionTooLong { chars: 5001 })
        );
    }

    #[test]
    fn a_description_keeps_its_whitespace() {
        assert_eq!(Description::parse("  - a\n").unwrap().as_str(), "  - a\n");
    }

    #[test]
    fn a_description_deserializes_through_parse() {
        let too_long = serde_json::Value::String("a".repeat(5001));
        assert!(serde_json::from_value::<Description>(too_long).is_err());
        let description: Description = serde_json::from_value(serde_json::json!("x")).unwrap();
        assert_eq!(serde_json::to_value(description).unwrap(), "x");
    }
}
