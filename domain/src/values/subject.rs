use serde::{Deserialize, Serialize};

use super::ValueError;

/// The subject a lesson teaches (e.g. `Science`): trimmed, 1–100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Subject(String);

impl Subject {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: impl AsRef<str>) -> Result<Self, ValueError> {
        let trimmed = raw.as_ref().trim();
        let chars = trimmed.chars().count();
        if (1..=Self::MAX_CHARS).contains(&chars) {
            Ok(Self(trimmed.to_owned()))
        } else {
            Err(ValueError::SubjectLength { chars })
        }
    }
}

text_value!(Subject);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subject_of_one_character_is_accepted() {
        assert_eq!(Subject::parse("x").unwrap().as_str(), "x");
    }

    #[test]
    fn a_subject_of_one_hundred_characters_is_accepted() {
        let raw = "ü".repeat(100);
        assert_eq!(Subject::parse(&raw).unwrap().as_str(), raw);
    }

    #[test]
    fn an_empty_subject_is_rejected() {
        assert_eq!(
            Subject::parse("  "),
            Err(ValueError::SubjectLength { chars: 0 })
        );
    }

    #[test]
    fn a_subject_of_one_hundred_and_one_characters_is_rejected() {
        assert_eq!(
            Subject::parse("ü".repeat(101)),
            Err(ValueError::SubjectLength { chars: 101 })
        );
    }

    #[test]
    fn a_subject_is_trimmed() {
        assert_eq!(Subject::parse(" Science\n").unwrap().as_str(), "Science");
    }

    #[test]
    fn a_subject_deserializes_through_parse() {
        assert!(serde_json::from_value::<Subject>(serde_json::json!("")).is_err());
        let subject: Subject = serde_json::from_value(serde_json::json!("Math")).unwrap();
        assert_eq!(serde_json::to_value(subject).unwrap(), "Math");
    }
}
