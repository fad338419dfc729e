use std::fmt;

use serde::{Deserialize, Serialize};

use super::ValueError;

/// A school grade, 1–12.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u8")]
pub struct GradeLevel(u8);

impl GradeLevel {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 12;

    pub fn parse(raw: i64) -> Result<Self, ValueError> {
        match u8::try_from(raw) {
            Ok(grade) if (Self::MIN..=Self::MAX).contains(&grade) => Ok(Self(grade)),
            _ => Err(ValueError::GradeLevelOutOfRange { value: raw }),
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for GradeLevel {
    type Error = ValueError;

    fn try_from(raw: i64) -> Result<Self, Self::Error> {
        Self::parse(raw)
    }
}

impl From<GradeLevel> for u8 {
    fn from(grade: GradeLevel) -> Self {
        grade.0
    }
}

impl From<GradeLevel> for i64 {
    fn from(grade: GradeLevel) -> Self {
        grade.0.into()
    }
}

impl fmt::Display for GradeLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grade_one_and_grade_twelve_are_accepted() {
        assert_eq!(GradeLevel::parse(1).unwrap().get(), 1);
        assert_eq!(GradeLevel::parse(12).unwrap().get(), 12);
    }

    #[test]
    fn grade_zero_is_rejected() {
        assert_eq!(
            GradeLevel::parse(0),
            Err(ValueError::GradeLevelOutOfRange { value: 0 })
        );
    }

    #[test]
    fn grade_thirteen_is_rejected() {
        assert_eq!(
            GradeLevel::parse(13),
            Err(ValueError::GradeLevelOutOfRange { value: 13 })
        );
    }

    #[test]
    fn negative_and_huge_grades_are_rejected_without_wrapping() {
        assert!(GradeLevel::parse(-1).is_err());
        assert!(GradeLevel::parse(256 + 5).is_err());
        assert!(GradeLevel::parse(i64::MAX).is_err());
    }

    #[test]
    fn a_grade_level_is_a_plain_number_in_json_and_deserializing_validates() {
        assert_eq!(
            serde_json::to_value(GradeLevel::parse(7).unwrap()).unwrap(),
            7
        );
        assert_eq!(
            serde_json::from_value::<GradeLevel>(serde_json::json!(7)).unwrap(),
            GradeLevel::parse(7).unwrap()
        );
        assert!(serde_json::from_value::<GradeLevel>(serde_json::json!(0)).is_err());
        assert!(serde_json::from_value::<GradeLevel>(serde_json::json!(7.5)).is_err());
        assert!(serde_json::from_value::<GradeLevel>(serde_json::json!("7")).is_err());
    }
}
