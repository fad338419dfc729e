use serde::{Deserialize, Serialize};

use super::ValueError;

/// A class's name (e.g. `7B Science`): trimmed, 1–120 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClassName(String);

impl ClassName {
    pub const MAX_CHARS: usize = 120;

    pub fn parse(raw: impl AsRef<str>) -> Result<Self, ValueError> {
        let trimmed = raw.as_ref().trim();
        let chars = trimmed.chars().count();
        if (1..=Self::MAX_CHARS).contains(&chars) {
            Ok(Self(trimmed.to_owned()))
        } else {
            Err(ValueError::ClassNameLength { chars })
        }
    }
}

text_value!(ClassName);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_class_name_of_one_character_is_accepted() {
        assert_eq!(ClassName::parse("A").unwrap().as_str(), "A");
    }

    #[test]
    fn a_class_name_of_one_hundred_and_twenty_characters_is_accepted() {
        let raw = "ä".repeat(120);
        assert_eq!(ClassName::parse(&raw).unwrap().as_str(), raw);
    }

    #[test]
    fn an_empty_class_name_is_rejected() {
        assert_eq!(
            ClassName::parse(" \n"),
            Err(ValueError::ClassNameLength { chars: 0 })
        );
    }

    #[test]
    fn a_class_name_of_one_hundred_and_twenty_one_characters_is_rejected() {
        let error = ClassName::parse("ä".repeat(121)).unwrap_err();
        assert_eq!(error, ValueError::ClassNameLength { chars: 121 });
        assert_eq!(error.field(), "name");
        assert_eq!(
            error.to_string(),
            "class name must be 1–120 characters (got 121)"
        );
    }

    #[test]
    fn a_class_name_is_trimmed() {
        assert_eq!(
            ClassName::parse("  7B Science \t").unwrap().as_str(),
            "7B Science"
        );
    }

    #[test]
    fn a_class_name_deserializes_through_parse() {
        assert!(serde_json::from_value::<ClassName>(serde_json::json!(" ")).is_err());
        let name: ClassName = serde_json::from_value(serde_json::json!("7B")).unwrap();
        assert_eq!(serde_json::to_value(name).unwrap(), "7B");
    }
}
