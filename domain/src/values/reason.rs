use serde::{Deserialize, Serialize};

use super::ValueError;

/// Why someone ended something (a lesson's archiving, a content request's cancellation):
/// at most 1000 characters, kept exactly as written.
///
/// Empty is a valid reason, not a missing one: the API has always taken `""` as given and
/// stored it so, and a stored event must keep decoding. A missing reason is an absent
/// `Option<Reason>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Reason(String);

impl Reason {
    pub const MAX_CHARS: usize = 1000;

    pub fn parse(raw: impl AsRef<str>) -> Result<Self, ValueError> {
        let raw = raw.as_ref();
        let chars = raw.chars().count();
        if chars <= Self::MAX_CHARS {
            Ok(Self(raw.to_owned()))
        } else {
            Err(ValueError::ReasonTooLong { chars })
        }
    }
}

text_value!(Reason);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_of_a_thousand_characters_is_accepted() {
        let raw = "ß".repeat(1000);
        assert_eq!(Reason::parse(&raw).unwrap().as_str(), raw);
    }

    #[test]
    fn a_reason_of_a_thousand_and_one_characters_is_rejected_and_names_its_field() {
        let error = Reason::parse("ß".repeat(1001)).unwrap_err();
        assert_eq!(error, ValueError::ReasonTooLong { chars: 1001 });
        assert_eq!(error.field(), "reason");
        assert_eq!(
            error.to_string(),
            "reason must be at most 1000 characters (got 1001)"
        );
    }

    #[test]
    fn a_reason_is_kept_as_written_even_empty() {
        assert_eq!(Reason::parse("").unwrap().as_str(), "");
        assert_eq!(Reason::parse("  old \n").unwrap().as_str(), "  old \n");
    }

    #[test]
    fn a_reason_is_a_plain_string_and_deserializes_through_parse() {
        let reason: Reason = serde_json::from_value(serde_json::json!("superseded")).unwrap();
        assert_eq!(serde_json::to_value(&reason).unwrap(), "superseded");
        let too_long = serde_json::Value::String("a".repeat(1001));
        assert!(serde_json::from_value::<Reason>(too_long).is_err());
    }
}
