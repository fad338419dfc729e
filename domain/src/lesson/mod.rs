//! The lesson aggregate: a lesson is drafted, revised while it is a draft, submitted for
//! review, approved by a reviewer, and published; it can be archived at any point after it
//! was drafted. While it is a draft or in review, content generated for it by a content
//! request can be attached.
//!
//! `commands`, `events`, `state` and `rejection` hold the types; `decide` holds every rule.

mod commands;
mod decide;
mod events;
mod rejection;
mod state;

pub use commands::LessonCommand;
pub use events::LessonEvent;
pub use rejection::LessonRejection;
pub use state::{GeneratedContent, Lesson, LessonDetails, LessonStatus};

use crate::Aggregate;
use crate::values::LessonId;

impl Aggregate for Lesson {
    const CATEGORY: &'static str = LessonId::CATEGORY;
    type Command = LessonCommand;
    type Event = LessonEvent;
    type Rejection = LessonRejection;

    fn decide(&self, command: &LessonCommand) -> Result<Vec<LessonEvent>, LessonRejection> {
        decide::decide(self, command)
    }

    fn evolve(self, event: &LessonEvent) -> Self {
        state::evolve(self, event)
    }
}
