use std::fmt;

use serde::{Deserialize, Serialize};

use super::ProgressEvent;
use crate::values::{ClassId, Completion, LessonId, UserId};

/// Where a student is in a lesson. `NotStarted` is a progress stream that is empty.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgressStatus {
    #[default]
    NotStarted,
    InProgress,
    Completed,
}

impl ProgressStatus {
    /// The snake_case name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::InProgress => "in_progress",
            Self::Completed => "completed",
        }
    }
}

impl fmt::Display for ProgressStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotStarted => "not started",
            Self::InProgress => "in progress",
            Self::Completed => "completed",
        })
    }
}

/// A student's progress in a lesson as its events left it.
///
/// The fields are private so that only events shape it: progress has details exactly
/// when its status is not [`ProgressStatus::NotStarted`]. Serde is for snapshots of folded
/// state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    status: ProgressStatus,
    details: Option<ProgressDetails>,
}

/// Started progress: whose, in what, from which class, and how far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressDetails {
    pub student_id: UserId,
    pub lesson_id: LessonId,
    /// The class it was started from.
    pub class_id: ClassId,
    /// Never decreases; 100 once completed.
    pub completion: Completion,
    /// Every XP earned and awarded on this stream.
    pub total_xp: u64,
}

impl Progress {
    pub fn status(&self) -> ProgressStatus {
        self.status
    }

    pub fn is_started(&self) -> bool {
        self.details.is_some()
    }

    pub fn is_completed(&self) -> bool {
        self.status == ProgressStatus::Completed
    }

    /// `None` until started.
    pub fn details(&self) -> Option<&ProgressDetails> {
        self.details.as_ref()
    }

    /// 0 until started.
    pub fn completion(&self) -> Completion {
        self.details
            .as_ref()
            .map_or(Completion::NONE, |d| d.completion)
    }

    /// 0 until started.
    pub fn total_xp(&self) -> u64 {
        self.details.as_ref().map_or(0, |d| d.total_xp)
    }
}

pub(super) fn evolve(mut progress: Progress, event: &ProgressEvent) -> Progress {
    if let ProgressEvent::ProgressStarted {
        student_id,
        lesson_id,
        class_id,
    } = event
    {
        progress.status = ProgressStatus::InProgress;
        progress.details = Some(ProgressDetails {
            student_id: *student_id,
            lesson_id: *lesson_id,
            class_id: *class_id,
            completion: Completion::NONE,
            total_xp: 0,
        });
        return progress;
    }
    // Every other event follows a start; a stray one has nothing to change.
    let Some(details) = progress.details.as_mut() else {
        return progress;
    };
    match event {
        ProgressEvent::ProgressStarted { .. } => {}
        ProgressEvent::ProgressRecorded {
            completion,
            total_xp,
            ..
        } => {
            details.completion = *completion;
            details.total_xp = *total_xp;
        }
        ProgressEvent::LessonCompleted { total_xp, .. } => {
            progress.status = ProgressStatus::Completed;
            details.completion = Completion::FULL;
            details.total_xp = *total_xp;
        }
    }
    progress
}
