use super::EnrolledWithLesson;
use crate::values::{Completion, Xp};

/// What can be asked of a student's progress in a lesson. Every field is already a valid
/// value, and the class fact is a proof (see [`super::proofs`]); whether the command is
/// allowed in the progress's current state is decided by [`crate::Aggregate::decide`].
/// That the actor is the student themselves is the API's check.
#[derive(Debug, Clone, PartialEq)]
pub enum ProgressCommand {
    /// Begin the lesson. The proof names the student, the lesson and the class; append
    /// to the stream of [`EnrolledWithLesson::progress_id`].
    Start { class: EnrolledWithLesson },
    /// Report how far the student got and the XP earned since the last record.
    Record {
        completion: Completion,
        xp_earned: Xp,
    },
    /// Finish the lesson: completion becomes 100 and `xp_awarded` is added, once.
    Complete { xp_awarded: Xp },
}
