//! Given/when/then for any aggregate: `given::<Lesson>(history).when(command)` and then
//! `then_expect_events(..)` or `then_expect_rejection(..)`.
//!
//! Compiled always because it is small and pure, so other crates' tests can use it too.
//! The assertions panic with both sides printed, like `assert_eq!`.

use std::fmt::Debug;

use crate::{Aggregate, DomainEvent, Rejection};

/// Start from the state these events fold into.
pub fn given<A: Aggregate>(events: impl IntoIterator<Item = A::Event>) -> Given<A> {
    let history: Vec<A::Event> = events.into_iter().collect();
    Given {
        state: A::replay(&history),
    }
}

/// Start from an aggregate that has no events yet.
pub fn given_no_events<A: Aggregate>() -> Given<A> {
    Given {
        state: A::default(),
    }
}

/// An aggregate state, waiting for a command.
pub struct Given<A: Aggregate> {
    state: A,
}

impl<A: Aggregate> Given<A> {
    pub fn state(&self) -> &A {
        &self.state
    }

    pub fn when(self, command: A::Command) -> When<A> {
        let result = self.state.decide(&command);
        When {
            state: self.state,
            result,
        }
    }
}

/// The outcome of deciding one command.
pub struct When<A: Aggregate> {
    state: A,
    result: Result<Vec<A::Event>, A::Rejection>,
}

impl<A: Aggregate> When<A> {
    /// The raw outcome, for assertions the helpers below do not cover.
    pub fn result(self) -> Result<Vec<A::Event>, A::Rejection> {
        self.result
    }

    /// Asserts that the command was accepted with exactly these events, that each of
    /// them survives a trip through the log's stored form, and returns the state after
    /// them for further checks.
    #[track_caller]
    pub fn then_expect_events(self, expected: Vec<A::Event>) -> A
    where
        A::Event: PartialEq + Debug,
        A::Rejection: Debug,
    {
        let events = match self.result {
            Ok(events) => events,
            Err(rejection) => panic!(
                "expected events {expected:#?}\nbut the command was rejected by `{}`: {rejection:?}",
                rejection.rule()
            ),
        };
        assert_eq!(events, expected, "the command produced other events");
        for event in &events {
            let stored = A::Event::from_stored(
                event.event_type(),
                event.schema_version(),
                &event.to_payload(),
            );
            match stored {
                Ok(decoded) => assert_eq!(
                    &decoded,
                    event,
                    "`{}` changed on its way through the stored form",
                    event.event_type()
                ),
                Err(error) => panic!(
                    "`{}` does not decode from its own payload: {error}",
                    event.event_type()
                ),
            }
        }
        events.iter().fold(self.state, A::evolve)
    }

    /// Asserts that the command was rejected: pass a rule name (`"lesson-not-found"`) to
    /// check the rule, or a rejection value to check it exactly.
    #[track_caller]
    pub fn then_expect_rejection(self, expected: impl ExpectedRejection<A::Rejection>)
    where
        A::Event: Debug,
    {
        match self.result {
            Ok(events) => panic!(
                "expected a rejection ({})\nbut the command was accepted with {events:#?}",
                expected.describe()
            ),
            Err(rejection) => expected.check(&rejection),
        }
    }
}

/// What a rejection is expected to be: a rule name or a whole rejection value.
pub trait ExpectedRejection<R> {
    fn describe(&self) -> String;
    fn check(&self, actual: &R);
}

impl<R: Rejection + Debug> ExpectedRejection<R> for &str {
    fn describe(&self) -> String {
        format!("rule `{self}`")
    }

    #[track_caller]
    fn check(&self, actual: &R) {
        assert_eq!(
            actual.rule(),
            *self,
            "the command was rejected by another rule: {actual:?}"
        );
    }
}

impl<R: Rejection + PartialEq + Debug> ExpectedRejection<R> for R {
    fn describe(&self) -> String {
        format!("{self:?}")
    }

    #[track_caller]
    fn check(&self, actual: &R) {
        assert_eq!(actual, self, "the command was rejected for another reason");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    use crate::values::{Description, GradeLevel, LessonContent, LessonId, Subject, Title, UserId};
    use crate::{Lesson, LessonCommand, LessonEvent, LessonRejection, LessonStatus};

    #[test]
    fn the_raw_outcome_is_available_for_other_assertions() {
        let outcome = given::<Lesson>(vec![])
            .when(LessonCommand::Publish)
            .result();
        assert_eq!(outcome, Err(LessonRejection::NotFound));
    }

    #[test]
    #[should_panic(expected = "rejected by another rule")]
    fn expecting_the_wrong_rule_fails() {
        given::<Lesson>(vec![])
            .when(LessonCommand::Publish)
            .then_expect_rejection("lesson-not-approved");
    }

    #[test]
    #[should_panic(expected = "rejected for another reason")]
    fn expecting_the_wrong_rejection_value_fails() {
        given::<Lesson>(vec![])
            .when(LessonCommand::Publish)
            .then_expect_rejection(LessonRejection::NotApproved {
                status: LessonStatus::NotDrafted,
            });
    }

    #[test]
    #[should_panic(expected = "but the command was rejected")]
    fn expecting_events_from_a_rejected_command_fails() {
        given::<Lesson>(vec![])
            .when(LessonCommand::Publish)
            .then_expect_events(vec![LessonEvent::LessonPublished]);
    }

    #[test]
    #[should_panic(expected = "but the command was accepted")]
    fn expecting_a_rejection_of_an_accepted_command_fails() {
        let drafted = LessonEvent::LessonDrafted {
            lesson_id: LessonId::new(Uuid::from_u128(1)),
            title: Title::parse("Fractions").unwrap(),
            description: Description::empty(),
            subject: Subject::parse("Math").unwrap(),
            grade_level: GradeLevel::parse(3).unwrap(),
            content: LessonContent::empty(),
            author: UserId::new(Uuid::from_u128(2)),
        };
        given::<Lesson>(vec![drafted])
            .when(LessonCommand::Archive { reason: None })
            .then_expect_rejection("lesson-already-archived");
    }
}
