//! The progress aggregate: one student's way through one lesson. It is started (from a
//! class the student is enrolled in that has the lesson), progress is recorded (completion
//! only goes up, XP accumulates), and it is completed once, which awards the lesson's XP.
//! Stream `progress-<uuid>`, one per student and lesson: the uuid is
//! [`crate::values::ProgressId::for_student_lesson`], so the pair can never have two
//! streams and no lookup is needed to find it.
//!
//! `commands`, `events`, `state` and `rejection` hold the types; `decide` holds every rule;
//! `proofs` holds the class fact a start depends on.

mod commands;
mod decide;
mod events;
pub mod proofs;
mod rejection;
mod state;

pub use commands::ProgressCommand;
pub use events::ProgressEvent;
pub use proofs::EnrolledWithLesson;
pub use rejection::ProgressRejection;
pub use state::{Progress, ProgressDetails, ProgressStatus};

use crate::Aggregate;
use crate::values::ProgressId;

impl Aggregate for Progress {
    const CATEGORY: &'static str = ProgressId::CATEGORY;
    type Command = ProgressCommand;
    type Event = ProgressEvent;
    type Rejection = ProgressRejection;

    fn decide(&self, command: &ProgressCommand) -> Result<Vec<ProgressEvent>, ProgressRejection> {
        decide::decide(self, command)
    }

    fn evolve(self, event: &ProgressEvent) -> Self {
        state::evolve(self, event)
    }
}
