use serde::{Deserialize, Serialize};

/// How long a lesson to be generated should take in class: 5–180 whole minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u16")]
pub struct DurationMinutes(u16);

int_value!(DurationMinutes, u16, 5, 180, DurationOutOfRange);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::ValueError;

    #[test]
    fn five_and_one_hundred_and_eighty_minutes_are_accepted() {
        assert_eq!(DurationMinutes::parse(5).unwrap().get(), 5);
        assert_eq!(DurationMinutes::parse(180).unwrap().get(), 180);
    }

    #[test]
    fn four_minutes_are_rejected() {
        assert_eq!(
            DurationMinutes::parse(4),
            Err(ValueError::DurationOutOfRange { value: 4 })
        );
    }

    #[test]
    fn one_hundred_and_eighty_one_minutes_are_rejected() {
        let error = DurationMinutes::parse(181).unwrap_err();
        assert_eq!(error, ValueError::DurationOutOfRange { value: 181 });
        assert_eq!(error.field(), "duration_minutes");
    }

    #[test]
    fn negative_and_huge_durations_are_rejected_without_wrapping() {
        assert!(DurationMinutes::parse(-45).is_err());
        assert!(DurationMinutes::parse(65_536 + 45).is_err());
    }

    #[test]
    fn a_duration_is_a_plain_number_in_json_and_deserializing_validates() {
        let duration = DurationMinutes::parse(45).unwrap();
        assert_eq!(serde_json::to_value(duration).unwrap(), 45);
        assert_eq!(
            serde_json::from_value::<DurationMinutes>(serde_json::json!(45)).unwrap(),
            duration
        );
        assert!(serde_json::from_value::<DurationMinutes>(serde_json::json!(2)).is_err());
    }
}
