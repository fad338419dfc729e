//! The offline terrain agent: one square zone per section of the plan, laid out on a
//! grid around the origin, with the planned stations (see `outputs::stations`) placed
//! inside their zones and the spawn at the first zone's centre. The biome follows the
//! theme's words, or a stable pick from the subject when there is no theme.

use super::text::{clean, pick, seed, shorten};
use crate::outputs::{
    Biome, LessonPlan, Point, Size, Station, StationKind, Terrain, Zone, planned_stations,
    stations::zone_id,
};
use crate::task::Brief;
use domain::ContentPart;

/// Zones are this many studs square, their centres this far apart.
const ZONE: f64 = 64.0;
const SPACING: f64 = 96.0;
/// The margin around the grid of zones.
const MARGIN: f64 = 64.0;
const HEIGHT: f64 = 64.0;
/// The ground's surface: stations stand on it, players spawn just above.
const GROUND: f64 = 8.0;
/// The schema's longest text.
const MAX_TEXT: usize = 120;
/// The schema's most zones.
const MAX_ZONES: usize = 50;

/// Themes to choose from when the brief names none.
const THEMES: [(&str, Biome); 6] = [
    ("an explorers' island", Biome::Beach),
    ("a mountain observatory", Biome::Mountains),
    ("a forest field station", Biome::Forest),
    ("a desert expedition camp", Biome::Desert),
    ("a snowy research base", Biome::Snow),
    ("a town learning fair", Biome::City),
];

/// Words of a theme that suggest a biome, checked in order.
const BIOME_WORDS: [(&[&str], Biome); 10] = [
    (
        &[
            "space", "planet", "moon", "star", "galaxy", "rocket", "mars",
        ],
        Biome::Space,
    ),
    (
        &["ocean", "sea", "underwater", "reef", "coral", "submarine"],
        Biome::Underwater,
    ),
    (
        &["volcano", "volcanic", "lava", "dinosaur"],
        Biome::Volcanic,
    ),
    (&["cave", "underground", "mine", "cavern"], Biome::Cave),
    (
        &["snow", "ice", "arctic", "antarctic", "polar", "winter"],
        Biome::Snow,
    ),
    (
        &["desert", "egypt", "pyramid", "sahara", "dune"],
        Biome::Desert,
    ),
    (
        &["beach", "island", "pirate", "coast", "tropical"],
        Biome::Beach,
    ),
    (&["mountain", "alpine", "canyon", "cliff"], Biome::Mountains),
    (
        &["forest", "jungle", "woods", "rainforest", "garden"],
        Biome::Forest,
    ),
    (
        &["city", "town", "street", "museum", "school", "castle"],
        Biome::City,
    ),
];

pub fn terrain(brief: &Brief, plan: &LessonPlan) -> Terrain {
    let (theme, biome) = theme(brief);
    let sections = plan.sections.len().clamp(1, MAX_ZONES);
    let columns = (1..=sections).find(|c| c * c >= sections).unwrap_or(1);
    let rows = sections.div_ceil(columns);
    let centre = |section: usize| {
        let offset =
            |index: usize, count: usize| (index as f64 - (count - 1) as f64 / 2.0) * SPACING;
        Point {
            x: offset(section % columns, columns),
            y: GROUND,
            z: offset(section / columns, rows),
        }
    };
    let zones: Vec<Zone> = (0..sections)
        .map(|section| Zone {
            id: zone_id(section),
            name: text(
                plan.sections.get(section).map(|s| s.heading.as_str()),
                || format!("Section {}", section + 1),
            ),
            section,
            center: centre(section),
            size: Size {
                width: ZONE,
                depth: ZONE,
                height: ZONE / 2.0,
            },
        })
        .collect();
    let stations = planned_stations(plan, brief.wants(ContentPart::Quiz))
        .into_iter()
        .filter(|s| s.section < sections)
        .map(|planned| {
            let heading = plan
                .sections
                .get(planned.section)
                .map(|s| s.heading.as_str());
            let (prefix, dx, dz) = match planned.kind {
                StationKind::InfoBoard => ("Read", -16.0, -16.0),
                StationKind::Activity => ("Do", 16.0, -16.0),
                StationKind::QuizKiosk => ("Quiz", 0.0, 16.0),
            };
            let at = centre(planned.section);
            Station {
                label: text(heading.map(|h| format!("{prefix}: {h}")).as_deref(), || {
                    format!("{prefix}: section {}", planned.section + 1)
                }),
                id: planned.id,
                zone: planned.zone,
                kind: planned.kind,
                position: Point {
                    x: at.x + dx,
                    y: GROUND,
                    z: at.z + dz,
                },
            }
        })
        .collect();
    let first = centre(0);
    Terrain {
        size: Size {
            width: columns as f64 * SPACING + MARGIN,
            depth: rows as f64 * SPACING + MARGIN,
            height: HEIGHT,
        },
        biome,
        theme,
        zones,
        spawn: Point {
            x: first.x,
            y: GROUND + 2.0,
            z: first.z,
        },
        stations,
    }
}

/// The brief's theme and the biome its words suggest (or a stable pick), else a theme
/// picked from the subject.
fn theme(brief: &Brief) -> (String, Biome) {
    let seed = seed([brief.subject.as_str(), brief.title.as_str()]);
    let picked = *pick(&THEMES, seed, 0);
    match brief.theme.as_deref().map(clean).filter(|t| !t.is_empty()) {
        Some(theme) => {
            let lower = theme.to_lowercase();
            let biome = BIOME_WORDS
                .iter()
                .find(|(words, _)| words.iter().any(|w| lower.contains(w)))
                .map_or(picked.1, |(_, biome)| *biome);
            (shorten(&theme, MAX_TEXT), biome)
        }
        None => (picked.0.to_owned(), picked.1),
    }
}

/// `text` cleaned and within the schema's length, or `fallback` when it is blank.
fn text(text: Option<&str>, fallback: impl FnOnce() -> String) -> String {
    let cleaned = text.map(clean).unwrap_or_default();
    if cleaned.is_empty() {
        fallback()
    } else {
        shorten(&cleaned, MAX_TEXT)
    }
}
