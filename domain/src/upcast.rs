//! Schema evolution: upcasters turn a payload stored in an older shape of its event type
//! into the current one, on read.
//!
//! The log is never rewritten: an event keeps the payload and the `schema_version` it was
//! appended with. Each event type has its own version, starting at 1; changing an event's
//! shape means adding one [`Upcaster`] for that event type, from the version it replaces
//! to the next, to the aggregate's list ([`Upcasters`], e.g. `crate::user::upcast`). The
//! type's current version is one past the last step, so writing the step *is* bumping the
//! version: events appended from then on carry the new number, and older ones are brought
//! up step by step (v1 → v2 → v3 …) inside `DomainEvent::from_stored`, which every reader
//! goes through (the aggregates' replay and time travel, the command runner, the
//! projections, the agents). A stored version newer than the build knows, or below 1, is
//! refused ([`DecodeError::UnsupportedVersion`]) rather than guessed at.
//!
//! A step sees the payload alone (not the metadata or other events), returns the next
//! shape or says why it cannot, and must be pure: the same old payload always reads the
//! same. Steps are never edited or removed once released, since the log still holds their
//! input.

use std::borrow::Cow;

use serde::de::Error as _;
use serde_json::{Map, Value};

use crate::DecodeError;

/// A JSON object payload.
pub type Fields = Map<String, Value>;

/// One step of one event type's history: a payload stored at version `from` in, the same
/// event at `from + 1` out (or why this payload does not fit version `from`).
#[derive(Debug, Clone, Copy)]
pub struct Upcaster {
    pub event_type: &'static str,
    /// The version this step reads; it writes `from + 1`.
    pub from: i32,
    pub step: fn(Fields) -> Result<Fields, String>,
}

/// Every upcaster of one event enum: the histories of its event types.
#[derive(Debug, Clone, Copy)]
pub struct Upcasters(&'static [Upcaster]);

impl Upcasters {
    /// No event type of the enum has changed shape: every one is at version 1.
    pub const NONE: Self = Self(&[]);

    pub const fn new(steps: &'static [Upcaster]) -> Self {
        Self(steps)
    }

    /// The version of `event_type`'s current shape: 1 past its last step, 1 without any.
    pub fn current_version(&self, event_type: &str) -> i32 {
        self.0
            .iter()
            .filter(|step| step.event_type == event_type)
            .map(|step| step.from + 1)
            .max()
            .unwrap_or(1)
    }

    /// `payload`, stored as version `version` of `event_type`, in the current shape.
    /// Borrowed when it already is; an object otherwise.
    pub fn upcast<'p>(
        &self,
        event_type: &'static str,
        version: i32,
        payload: &'p Value,
    ) -> Result<Cow<'p, Value>, DecodeError> {
        let current = self.current_version(event_type);
        if !(1..=current).contains(&version) {
            return Err(DecodeError::UnsupportedVersion {
                event_type: event_type.to_owned(),
                version,
                current,
            });
        }
        if version == current {
            return Ok(Cow::Borrowed(payload));
        }
        let malformed = |reason: String| DecodeError::Malformed {
            event_type: event_type.to_owned(),
            source: serde_json::Error::custom(reason),
        };
        let Value::Object(fields) = payload else {
            return Err(malformed("the payload must be a JSON object".to_owned()));
        };
        let mut fields = fields.clone();
        for from in version..current {
            let step = self
                .0
                .iter()
                .find(|step| step.event_type == event_type && step.from == from)
                // A gap in a chain is a bug of this crate; `check` (run by every
                // aggregate's tests) keeps it from being released.
                .ok_or_else(|| DecodeError::UnsupportedVersion {
                    event_type: event_type.to_owned(),
                    version: from,
                    current,
                })?;
            fields = (step.step)(fields)
                .map_err(|reason| malformed(format!("as schema version {from}: {reason}")))?;
        }
        Ok(Cow::Owned(Value::Object(fields)))
    }

    /// Every step names one of `event_types`, and each type's steps run from 1 without a
    /// gap or a twin. Tests call this for every event enum.
    pub fn check(&self, event_types: &[&str]) -> Result<(), String> {
        for step in self.0 {
            if !event_types.contains(&step.event_type) {
                return Err(format!("an upcaster of unknown `{}`", step.event_type));
            }
            let mut froms: Vec<i32> = self
                .0
                .iter()
                .filter(|other| other.event_type == step.event_type)
                .map(|other| other.from)
                .collect();
            froms.sort_unstable();
            if froms != (1..=froms.len() as i32).collect::<Vec<_>>() {
                return Err(format!(
                    "the upcasters of `{}` go from {froms:?}, not 1, 2, … without gaps",
                    step.event_type
                ));
            }
        }
        Ok(())
    }
}

/// Helpers for writing steps.
pub mod fields {
    use serde_json::Value;

    use super::Fields;

    /// Remove `name` from `fields`, saying it is missing otherwise.
    pub fn take(fields: &mut Fields, name: &str) -> Result<Value, String> {
        fields
            .remove(name)
            .ok_or_else(|| format!("missing field `{name}`"))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn rename_a_to_b(mut fields: Fields) -> Result<Fields, String> {
        let a = fields::take(&mut fields, "a")?;
        fields.insert("b".into(), a);
        Ok(fields)
    }

    fn double_b(mut fields: Fields) -> Result<Fields, String> {
        let b = fields.get("b").and_then(Value::as_i64).ok_or("no `b`")?;
        fields.insert("b".into(), json!(b * 2));
        Ok(fields)
    }

    const STEPS: Upcasters = Upcasters::new(&[
        Upcaster {
            event_type: "Thing",
            from: 2,
            step: double_b,
        },
        Upcaster {
            event_type: "Thing",
            from: 1,
            step: rename_a_to_b,
        },
    ]);

    #[test]
    fn each_event_type_has_its_own_current_version() {
        assert_eq!(STEPS.current_version("Thing"), 3);
        assert_eq!(STEPS.current_version("Other"), 1);
        assert!(STEPS.check(&["Thing", "Other"]).is_ok());
    }

    #[test]
    fn an_old_payload_goes_through_every_step_in_order() {
        let v1 = json!({ "a": 4, "c": true });
        assert_eq!(
            STEPS.upcast("Thing", 1, &v1).unwrap().into_owned(),
            json!({ "b": 8, "c": true })
        );
        let v2 = json!({ "b": 4 });
        assert_eq!(
            STEPS.upcast("Thing", 2, &v2).unwrap().into_owned(),
            json!({ "b": 8 })
        );
        let v3 = json!({ "b": 4 });
        assert!(matches!(
            STEPS.upcast("Thing", 3, &v3).unwrap(),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_version_from_the_future_or_below_one_is_refused() {
        for version in [4, 0, -1] {
            let error = STEPS.upcast("Thing", version, &json!({})).unwrap_err();
            assert!(
                matches!(error, DecodeError::UnsupportedVersion { current: 3, .. }),
                "{version}"
            );
        }
        assert_eq!(
            STEPS
                .upcast("Thing", 4, &json!({}))
                .unwrap_err()
                .to_string(),
            "unsupported schema version 4 of `Thing`: this build reads versions 1 to 3"
        );
    }

    #[test]
    fn a_payload_that_does_not_fit_its_version_is_malformed() {
        let error = STEPS.upcast("Thing", 1, &json!({ "b": 1 })).unwrap_err();
        assert_eq!(
            error.to_string(),
            "malformed payload of `Thing`: as schema version 1: missing field `a`"
        );
    }

    #[test]
    fn gaps_twins_and_unknown_types_fail_the_check() {
        const GAP: Upcasters = Upcasters::new(&[Upcaster {
            event_type: "Thing",
            from: 2,
            step: double_b,
        }]);
        assert!(GAP.check(&["Thing"]).is_err());
        const TWIN: Upcasters = Upcasters::new(&[
            Upcaster {
                event_type: "Thing",
                from: 1,
                step: double_b,
            },
            Upcaster {
                event_type: "Thing",
                from: 1,
                step: rename_a_to_b,
            },
        ]);
        assert!(TWIN.check(&["Thing"]).is_err());
        assert!(STEPS.check(&["Other"]).is_err());
    }
}
