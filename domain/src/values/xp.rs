use serde::{Deserialize, Serialize};

/// An amount of experience points earned in one step (one progress record, or the award
/// for completing a lesson): 0–1,000,000.
///
/// The seeds only ask for XP ≥ 0. The upper bound is there so that a client bug (or a
/// client trying its luck) cannot mint absurd amounts in one request, and so that the sum
/// of every award on a progress stream, kept as a `u64`, can never come near overflowing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u32")]
pub struct Xp(u32);

int_value!(Xp, u32, 0, 1_000_000, XpOutOfRange);

impl Xp {
    pub const ZERO: Self = Self(0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::ValueError;

    #[test]
    fn zero_and_one_million_xp_are_accepted() {
        assert_eq!(Xp::parse(0).unwrap(), Xp::ZERO);
        assert_eq!(Xp::parse(1_000_000).unwrap().get(), 1_000_000);
    }

    #[test]
    fn negative_xp_is_rejected() {
        let error = Xp::parse(-1).unwrap_err();
        assert_eq!(error, ValueError::XpOutOfRange { value: -1 });
        assert_eq!(error.field(), "xp");
    }

    #[test]
    fn more_than_one_million_xp_is_rejected() {
        assert_eq!(
            Xp::parse(1_000_001),
            Err(ValueError::XpOutOfRange { value: 1_000_001 })
        );
        assert!(Xp::parse(i64::MAX).is_err());
    }

    #[test]
    fn xp_is_a_plain_number_in_json_and_deserializing_validates() {
        let xp = Xp::parse(50).unwrap();
        assert_eq!(serde_json::to_value(xp).unwrap(), 50);
        assert_eq!(
            serde_json::from_value::<Xp>(serde_json::json!(50)).unwrap(),
            xp
        );
        assert!(serde_json::from_value::<Xp>(serde_json::json!(-5)).is_err());
    }
}
