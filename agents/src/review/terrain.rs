//! Checks of the terrain: it satisfies the JSON Schema, its ids are unique, every zone is
//! for an existing section of the plan and lies within the bounds, every section has a
//! zone, every station stands in an existing zone, and the spawn is within the bounds.

use std::collections::{BTreeSet, HashMap, HashSet};

use domain::AgentName;

use super::Finding;
use crate::outputs::{LessonPlan, Point, Terrain, Zone, terrain::schema_violations};

pub(super) fn check(plan: &LessonPlan, terrain: &Terrain) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut find = |check, message: String| {
        findings.push(Finding::new(AgentName::Terrain, check, message));
    };
    let value = serde_json::to_value(terrain).expect("terrains serialize");
    for violation in schema_violations(&value) {
        find("terrain-schema", violation);
    }
    let mut ids = HashSet::new();
    let repeated: Vec<&str> = (terrain.zones.iter().map(|z| z.id.as_str()))
        .chain(terrain.stations.iter().map(|s| s.id.as_str()))
        .filter(|id| !ids.insert(*id))
        .collect();
    if !repeated.is_empty() {
        find(
            "terrain-unique-ids",
            format!(
                "ids must be unique across zones and stations; repeated: {}",
                repeated.join(", ")
            ),
        );
    }
    let sections = plan.sections.len();
    let mut zoned = BTreeSet::new();
    for (index, zone) in terrain.zones.iter().enumerate() {
        if zone.section < sections {
            zoned.insert(zone.section);
        } else {
            find(
                "terrain-zone-section",
                format!(
                    "`zones[{index}]` ({}) is for section {}, but the plan has {sections} \
                     sections (indices 0 to {})",
                    zone.id,
                    zone.section,
                    sections.saturating_sub(1)
                ),
            );
        }
        if !footprint_within(terrain, zone) {
            find(
                "terrain-zone-in-bounds",
                format!(
                    "`zones[{index}]` ({}) reaches outside the terrain's {}×{} studs around \
                     the origin",
                    zone.id, terrain.size.width, terrain.size.depth
                ),
            );
        }
    }
    let unzoned: Vec<String> = (0..sections)
        .filter(|s| !zoned.contains(s))
        .map(|s| s.to_string())
        .collect();
    if !unzoned.is_empty() {
        find(
            "terrain-section-zones",
            format!("no zone is for section(s) {}", unzoned.join(", ")),
        );
    }
    let zones: HashMap<&str, &Zone> = terrain.zones.iter().map(|z| (z.id.as_str(), z)).collect();
    for (index, station) in terrain.stations.iter().enumerate() {
        let at = format!("`stations[{index}]` ({})", station.id);
        match zones.get(station.zone.as_str()) {
            None => find(
                "terrain-station-zone",
                format!("{at} is in zone `{}`, which does not exist", station.zone),
            ),
            Some(zone)
                if !zone
                    .size
                    .contains_horizontally(zone.center, station.position) =>
            {
                find(
                    "terrain-station-zone",
                    format!("{at} stands outside its zone `{}`", zone.id),
                );
            }
            Some(_) if !terrain.contains(station.position) => find(
                "terrain-station-zone",
                format!("{at} stands outside the terrain's bounds"),
            ),
            Some(_) => {}
        }
    }
    if !terrain.contains(terrain.spawn) {
        find(
            "terrain-spawn-in-bounds",
            format!(
                "the spawn {} is outside the terrain (x and z within ±half the width and \
                 depth, y from 0 to {})",
                show(terrain.spawn),
                terrain.size.height
            ),
        );
    }
    findings
}

/// Whether the zone's footprint lies within the terrain's, horizontally.
fn footprint_within(terrain: &Terrain, zone: &Zone) -> bool {
    (zone.center.x.abs() + zone.size.width / 2.0) <= terrain.size.width / 2.0
        && (zone.center.z.abs() + zone.size.depth / 2.0) <= terrain.size.depth / 2.0
}

fn show(point: Point) -> String {
    format!("({}, {}, {})", point.x, point.y, point.z)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::tests::{plan, terrain};

    fn checks(terrain: &Terrain) -> Vec<&'static str> {
        check(&plan(), terrain)
            .into_iter()
            .map(|f| f.check)
            .collect()
    }

    #[test]
    fn a_fitting_terrain_has_no_findings() {
        assert_eq!(check(&plan(), &terrain()), vec![]);
    }

    #[test]
    fn a_schema_violation_is_found_with_its_location() {
        let mut terrain = terrain();
        terrain.stations[0].id = "Info Board!".into();
        let findings = check(&plan(), &terrain);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].check, "terrain-schema");
        assert!(findings[0].message.starts_with("at /stations/0/id:"));
    }

    #[test]
    fn a_zone_for_a_missing_section_is_found() {
        let mut terrain = terrain();
        terrain.zones[1].section = 9;
        assert_eq!(
            checks(&terrain),
            ["terrain-zone-section", "terrain-section-zones"]
        );
    }

    #[test]
    fn a_station_in_a_missing_zone_or_outside_its_zone_is_found() {
        let mut terrain = terrain();
        terrain.stations[0].zone = "zone_9".into();
        terrain.stations[1].position.x += 100.0;
        assert_eq!(
            checks(&terrain),
            ["terrain-station-zone", "terrain-station-zone"]
        );
    }

    #[test]
    fn a_spawn_outside_the_bounds_is_found() {
        let mut terrain = terrain();
        terrain.spawn.y = -3.0;
        assert_eq!(checks(&terrain), ["terrain-spawn-in-bounds"]);
        terrain.spawn = Point {
            x: 500.0,
            y: 5.0,
            z: 0.0,
        };
        assert_eq!(checks(&terrain), ["terrain-spawn-in-bounds"]);
    }

    #[test]
    fn repeated_ids_and_zones_past_the_edge_are_found() {
        let mut terrain = terrain();
        terrain.stations[1].id = terrain.stations[0].id.clone();
        terrain.zones[0].size.width = 200.0;
        assert_eq!(
            checks(&terrain),
            ["terrain-unique-ids", "terrain-zone-in-bounds"]
        );
    }
}
