use serde::{Deserialize, Serialize};

/// How much of a lesson a student has done, in whole percent: 0–100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u8")]
pub struct Completion(u8);

int_value!(Completion, u8, 0, 100, CompletionOutOfRange);

impl Completion {
    /// Nothing done yet: where a started lesson begins.
    pub const NONE: Self = Self(0);
    /// All of it: where a completed lesson ends.
    pub const FULL: Self = Self(100);

    pub fn is_full(self) -> bool {
        self == Self::FULL
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::ValueError;

    #[test]
    fn zero_and_one_hundred_percent_are_accepted() {
        assert_eq!(Completion::parse(0).unwrap(), Completion::NONE);
        assert_eq!(Completion::parse(100).unwrap(), Completion::FULL);
        assert!(Completion::FULL.is_full());
        assert!(!Completion::parse(99).unwrap().is_full());
    }

    #[test]
    fn minus_one_percent_is_rejected() {
        assert_eq!(
            Completion::parse(-1),
            Err(ValueError::CompletionOutOfRange { value: -1 })
        );
    }

    #[test]
    fn one_hundred_and_one_percent_is_rejected() {
        let error = Completion::parse(101).unwrap_err();
        assert_eq!(error, ValueError::CompletionOutOfRange { value: 101 });
        assert_eq!(error.field(), "completion");
        assert_eq!(
            error.to_string(),
            "completion must be an integer 0–100 (got 101)"
        );
    }

    #[test]
    fn huge_values_are_rejected_without_wrapping() {
        assert!(Completion::parse(256 + 50).is_err());
        assert!(Completion::parse(i64::MAX).is_err());
    }

    #[test]
    fn completions_order_by_percent() {
        assert!(Completion::parse(40).unwrap() < Completion::parse(41).unwrap());
    }

    #[test]
    fn a_completion_is_a_plain_number_in_json_and_deserializing_validates() {
        let completion = Completion::parse(40).unwrap();
        assert_eq!(serde_json::to_value(completion).unwrap(), 40);
        assert_eq!(
            serde_json::from_value::<Completion>(serde_json::json!(40)).unwrap(),
            completion
        );
        assert!(serde_json::from_value::<Completion>(serde_json::json!(101)).is_err());
        assert!(serde_json::from_value::<Completion>(serde_json::json!(40.5)).is_err());
    }
}
