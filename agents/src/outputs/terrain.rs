//! The terrain agent's output: a Roblox 3D environment for the lesson, and the JSON Schema
//! it must satisfy (`agents/schemas/terrain.schema.json`, documented in `docs/terrain.md`).
//! Whether zones and stations fit the lesson plan is the review's call, not this module's.

use std::sync::LazyLock;

use jsonschema::Validator;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The schema's text, as shipped with the crate.
pub const SCHEMA: &str = include_str!("../../schemas/terrain.schema.json");

/// At most this many schema violations are reported at once.
const MAX_VIOLATIONS: usize = 10;

static VALIDATOR: LazyLock<Validator> = LazyLock::new(|| {
    let schema: Value = serde_json::from_str(SCHEMA).expect("the terrain schema is JSON");
    jsonschema::draft202012::new(&schema).expect("the terrain schema is a valid 2020-12 schema")
});

/// An environment measured in studs; y is up. It spans x in `[-width/2, width/2]`, z in
/// `[-depth/2, depth/2]` and y in `[0, height]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terrain {
    pub size: Size,
    pub biome: Biome,
    pub theme: String,
    pub zones: Vec<Zone>,
    pub spawn: Point,
    pub stations: Vec<Station>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Size {
    pub width: f64,
    pub depth: f64,
    pub height: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    pub x: f64,
    pub y: f64,
    pub z: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Biome {
    Grassland,
    Forest,
    Desert,
    Snow,
    Beach,
    Mountains,
    Volcanic,
    Cave,
    City,
    Space,
    Underwater,
}

/// An area dedicated to one section of the lesson plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Zone {
    pub id: String,
    pub name: String,
    /// Index (from 0) into the plan's sections.
    pub section: usize,
    pub center: Point,
    pub size: Size,
}

/// Something players walk up to; the script attaches its prompt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Station {
    pub id: String,
    /// The id of the zone it stands in.
    pub zone: String,
    pub kind: StationKind,
    pub label: String,
    pub position: Point,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StationKind {
    /// Asks the section's quiz questions.
    QuizKiosk,
    /// Shows the section's explanation and key terms.
    InfoBoard,
    /// Starts the section's activity.
    Activity,
}

impl StationKind {
    /// The snake_case name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::QuizKiosk => "quiz_kiosk",
            Self::InfoBoard => "info_board",
            Self::Activity => "activity",
        }
    }
}

impl Size {
    /// Whether `point` lies, along x and z, in a box of this size centred on `center`.
    pub fn contains_horizontally(&self, center: Point, point: Point) -> bool {
        (point.x - center.x).abs() <= self.width / 2.0
            && (point.z - center.z).abs() <= self.depth / 2.0
    }
}

impl Terrain {
    /// Whether `point` lies within the terrain's bounds.
    pub fn contains(&self, point: Point) -> bool {
        let origin = Point {
            x: 0.0,
            y: 0.0,
            z: 0.0,
        };
        self.size.contains_horizontally(origin, point)
            && (0.0..=self.size.height).contains(&point.y)
    }
}

/// The schema's complaints about `value`, each as `at <JSON pointer>: <problem>` (`at /`
/// for the whole document); empty when it is valid. At most ten are listed.
pub fn schema_violations(value: &Value) -> Vec<String> {
    VALIDATOR
        .iter_errors(value)
        .take(MAX_VIOLATIONS)
        .map(|error| {
            let path = error.instance_path().to_string();
            let path = if path.is_empty() { "/".into() } else { path };
            format!("at {path}: {error}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn valid() -> Value {
        json!({
            "size": { "width": 256.0, "depth": 256.0, "height": 64.0 },
            "biome": "forest",
            "theme": "a forest trail",
            "zones": [{
                "id": "zone_1", "name": "Leaves", "section": 0,
                "center": { "x": 0.0, "y": 0.0, "z": 0.0 },
                "size": { "width": 64.0, "depth": 64.0, "height": 32.0 }
            }],
            "spawn": { "x": 0.0, "y": 5.0, "z": 0.0 },
            "stations": [{
                "id": "s1_info", "zone": "zone_1", "kind": "info_board",
                "label": "About leaves", "position": { "x": 10.0, "y": 0.0, "z": 10.0 }
            }]
        })
    }

    #[test]
    fn the_schema_compiles_and_accepts_a_valid_terrain() {
        assert_eq!(schema_violations(&valid()), Vec::<String>::new());
        let terrain: Terrain = serde_json::from_value(valid()).unwrap();
        assert_eq!(serde_json::to_value(&terrain).unwrap(), valid());
    }

    #[test]
    fn a_missing_required_field_is_named_with_its_location() {
        let mut terrain = valid();
        terrain["zones"][0]
            .as_object_mut()
            .unwrap()
            .remove("section");
        let violations = schema_violations(&terrain);
        assert_eq!(violations.len(), 1, "{violations:?}");
        assert!(violations[0].starts_with("at /zones/0:"), "{violations:?}");
        assert!(violations[0].contains("section"), "{violations:?}");
    }

    #[test]
    fn ids_unknown_kinds_and_tiny_terrains_are_refused() {
        let mut terrain = valid();
        terrain["stations"][0]["id"] = json!("Station One");
        terrain["stations"][0]["kind"] = json!("vending_machine");
        terrain["size"]["width"] = json!(10);
        let violations = schema_violations(&terrain);
        assert_eq!(violations.len(), 3, "{violations:?}");
        for place in ["/stations/0/id", "/stations/0/kind", "/size/width"] {
            assert!(
                violations
                    .iter()
                    .any(|v| v.starts_with(&format!("at {place}:"))),
                "{place} not in {violations:?}"
            );
        }
    }

    #[test]
    fn unknown_properties_are_refused() {
        let mut terrain = valid();
        terrain["weather"] = json!("rain");
        assert_eq!(schema_violations(&terrain).len(), 1);
    }

    #[test]
    fn bounds_span_the_width_and_depth_around_the_origin_and_the_height_above_zero() {
        let terrain: Terrain = serde_json::from_value(valid()).unwrap();
        let at = |x, y, z| Point { x, y, z };
        assert!(terrain.contains(at(128.0, 64.0, -128.0)));
        assert!(!terrain.contains(at(128.5, 1.0, 0.0)));
        assert!(!terrain.contains(at(0.0, -1.0, 0.0)));
        assert!(!terrain.contains(at(0.0, 64.5, 0.0)));
    }
}
