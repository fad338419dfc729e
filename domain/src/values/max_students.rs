use serde::{Deserialize, Serialize};

/// How many students a class may hold: 1–500. The class never enrolls more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u16")]
pub struct MaxStudents(u16);

int_value!(MaxStudents, u16, 1, 500, MaxStudentsOutOfRange);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::ValueError;

    #[test]
    fn one_and_five_hundred_students_are_accepted() {
        assert_eq!(MaxStudents::parse(1).unwrap().get(), 1);
        assert_eq!(MaxStudents::parse(500).unwrap().get(), 500);
    }

    #[test]
    fn zero_students_are_rejected() {
        assert_eq!(
            MaxStudents::parse(0),
            Err(ValueError::MaxStudentsOutOfRange { value: 0 })
        );
    }

    #[test]
    fn five_hundred_and_one_students_are_rejected() {
        let error = MaxStudents::parse(501).unwrap_err();
        assert_eq!(error, ValueError::MaxStudentsOutOfRange { value: 501 });
        assert_eq!(error.field(), "max_students");
    }

    #[test]
    fn negative_and_huge_values_are_rejected_without_wrapping() {
        assert!(MaxStudents::parse(-1).is_err());
        assert!(MaxStudents::parse(65_536 + 30).is_err());
        assert!(MaxStudents::parse(i64::MIN).is_err());
    }

    #[test]
    fn max_students_is_a_plain_number_in_json_and_deserializing_validates() {
        let max = MaxStudents::parse(30).unwrap();
        assert_eq!(serde_json::to_value(max).unwrap(), 30);
        assert_eq!(
            serde_json::from_value::<MaxStudents>(serde_json::json!(30)).unwrap(),
            max
        );
        assert!(serde_json::from_value::<MaxStudents>(serde_json::json!(0)).is_err());
        assert!(serde_json::from_value::<MaxStudents>(serde_json::json!("30")).is_err());
    }
}
