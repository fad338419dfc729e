//! The station plan shared by the terrain and script agents. They run in parallel, each
//! seeing only the lesson plan, so the station ids both must use are derived from the plan
//! here: per section `n` (from 1) an info board `s{n}_info`, an activity `s{n}_activity`
//! and, when the brief wants a quiz, a quiz kiosk `s{n}_quiz`, all in zone `zone_{n}`.
//! This module only names stations; placing them is the terrain's job.

use super::{LessonPlan, StationKind};

/// A station the lesson calls for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedStation {
    pub id: String,
    /// The id of the zone of its section.
    pub zone: String,
    /// Index (from 0) into the plan's sections.
    pub section: usize,
    pub kind: StationKind,
}

/// The id of the zone for the plan's section `section` (from 0).
pub fn zone_id(section: usize) -> String {
    format!("zone_{}", section + 1)
}

/// The stations for `plan`, section by section; quiz kiosks only `with_quiz`.
pub fn planned_stations(plan: &LessonPlan, with_quiz: bool) -> Vec<PlannedStation> {
    let mut kinds = vec![
        ("info", StationKind::InfoBoard),
        ("activity", StationKind::Activity),
    ];
    if with_quiz {
        kinds.push(("quiz", StationKind::QuizKiosk));
    }
    (0..plan.sections.len())
        .flat_map(|section| {
            kinds.iter().map(move |&(suffix, kind)| PlannedStation {
                id: format!("s{}_{suffix}", section + 1),
                zone: zone_id(section),
                section,
                kind,
            })
        })
        .collect()
}
