use super::{Progress, ProgressCommand, ProgressDetails, ProgressEvent, ProgressRejection};
use crate::values::Xp;

pub(super) fn decide(
    progress: &Progress,
    command: &ProgressCommand,
) -> Result<Vec<ProgressEvent>, ProgressRejection> {
    let event = match command {
        ProgressCommand::Start { class } => {
            require(!progress.is_started(), ProgressRejection::AlreadyStarted)?;
            ProgressEvent::ProgressStarted {
                student_id: class.student_id(),
                lesson_id: class.lesson_id(),
                class_id: class.class_id(),
            }
        }
        ProgressCommand::Record {
            completion,
            xp_earned,
        } => {
            let current = ongoing(progress)?;
            require(
                *completion >= current.completion,
                ProgressRejection::CompletionCannotDecrease {
                    current: current.completion,
                    proposed: *completion,
                },
            )?;
            ProgressEvent::ProgressRecorded {
                completion: *completion,
                xp_earned: *xp_earned,
                total_xp: plus(current.total_xp, *xp_earned),
            }
        }
        ProgressCommand::Complete { xp_awarded } => {
            let current = ongoing(progress)?;
            ProgressEvent::LessonCompleted {
                xp_awarded: *xp_awarded,
                total_xp: plus(current.total_xp, *xp_awarded),
            }
        }
    };
    Ok(vec![event])
}

/// Recording and completing need progress that was started and is not completed yet;
/// the second rule is what awards a lesson's XP only once.
fn ongoing(progress: &Progress) -> Result<&ProgressDetails, ProgressRejection> {
    let current = progress.details().ok_or(ProgressRejection::NotStarted)?;
    require(
        !progress.is_completed(),
        ProgressRejection::AlreadyCompleted,
    )?;
    Ok(current)
}

/// Each amount is at most [`Xp::MAX`], so a `u64` sum would need billions of records to
/// overflow; saturating keeps even that from wrapping or panicking.
fn plus(total: u64, xp: Xp) -> u64 {
    total.saturating_add(u64::from(xp.get()))
}

fn require(rule_holds: bool, otherwise: ProgressRejection) -> Result<(), ProgressRejection> {
    if rule_holds { Ok(()) } else { Err(otherwise) }
}
