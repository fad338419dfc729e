//! The class aggregate: a teacher's class is created with a capacity, students are
//! enrolled and unenrolled, published lessons are assigned and unassigned, and the class
//! can be archived, after which it is frozen. Stream `class-<uuid>`.
//!
//! **Capacity under concurrent enrollments.** The enrolled students live in the class's
//! own state, and `decide` refuses an enrollment once their number reached
//! `max_students`. Two enrollments that race both decide on version *n*; the store's
//! expected-version check lets only the first append at *n*, the second gets a version
//! conflict, and the command runner reloads and decides again on *n + 1*, where the
//! class may now be full. So the count is never exceeded, with no lock and no read model.
//!
//! **Facts about other aggregates** (the teacher, the student, the lesson) come in as
//! proof types built from those aggregates' current state (see [`proofs`]).
//!
//! `commands`, `events`, `state` and `rejection` hold the types; `decide` holds every rule.

mod commands;
mod decide;
mod events;
pub mod proofs;
mod rejection;
mod state;

pub use commands::ClassCommand;
pub use events::ClassEvent;
pub use proofs::{ActiveStudent, ActiveTeacher, PublishedLesson};
pub use rejection::{ClassRejection, Ineligible};
pub use state::{Class, ClassDetails, ClassStatus};

use crate::Aggregate;
use crate::values::ClassId;

impl Aggregate for Class {
    const CATEGORY: &'static str = ClassId::CATEGORY;
    type Command = ClassCommand;
    type Event = ClassEvent;
    type Rejection = ClassRejection;

    fn decide(&self, command: &ClassCommand) -> Result<Vec<ClassEvent>, ClassRejection> {
        decide::decide(self, command)
    }

    fn evolve(self, event: &ClassEvent) -> Self {
        state::evolve(self, event)
    }
}
