//! The terrain as a top-down map in SVG, drawn on the server: the terrain's box in its
//! biome's colour, each zone as a labelled rectangle, each station as a mark by its kind
//! (info board ●, activity ■, quiz kiosk ◆) with its label as a tooltip, and the spawn
//! (★). Coordinates are the terrain's studs (`docs/terrain.md`): `x` to the right, `z`
//! down the page (north, −z, is up), `y` (height) is not drawn. A table of the same zones
//! and stations follows the map for those who cannot see it.
//!
//! It draws what the terrain says and checks nothing: whether zones fit the terrain is the
//! review's call.

use agents::outputs::{Biome, Point, StationKind, Terrain};
use maud::{Markup, html};

/// The ground's colour, close to the Roblox material the biome maps onto.
fn ground(biome: Biome) -> &'static str {
    match biome {
        Biome::Grassland => "#7fb25a",
        Biome::Forest => "#4f7f3a",
        Biome::Desert => "#e2c37f",
        Biome::Snow => "#eef3f7",
        Biome::Beach => "#f0dca0",
        Biome::Mountains => "#8f8a80",
        Biome::Volcanic => "#5b3b33",
        Biome::Cave => "#6b6259",
        Biome::City => "#a5a9ad",
        Biome::Space => "#2b2d42",
        Biome::Underwater => "#3f7fa8",
    }
}

fn biome_name(biome: Biome) -> String {
    serde_json::to_value(biome)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn kind_name(kind: StationKind) -> &'static str {
    match kind {
        StationKind::InfoBoard => "info board",
        StationKind::Activity => "activity",
        StationKind::QuizKiosk => "quiz kiosk",
    }
}

/// A number for an SVG attribute: at most two decimals, no trailing zeros.
fn n(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let text = format!("{rounded:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A station's mark at `p`, of size `r`.
fn mark(kind: StationKind, p: Point, r: f64) -> Markup {
    let (x, z) = (p.x, p.z);
    html! {
        @match kind {
            StationKind::InfoBoard => circle class="station info" cx=(n(x)) cy=(n(z)) r=(n(r)) {},
            StationKind::Activity => rect class="station activity" x=(n(x - r)) y=(n(z - r)) width=(n(2.0 * r)) height=(n(2.0 * r)) {},
            StationKind::QuizKiosk => polygon class="station quiz"
                points=(format!("{},{} {},{} {},{} {},{}", n(x), n(z - r * 1.3), n(x + r * 1.3), n(z), n(x), n(z + r * 1.3), n(x - r * 1.3), n(z))) {},
        }
    }
}

/// `label` cut to what fits in `width` at `font` size (about 0.55 em a character), with
/// an ellipsis when cut: the whole name is in the zone's tooltip and the table.
fn fitted(label: &str, width: f64, font: f64) -> String {
    let fits = ((width / (0.55 * font)).floor() as usize).max(1);
    if label.chars().count() <= fits {
        return label.to_owned();
    }
    let mut cut: String = label.chars().take(fits.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The five points of a star around `p`.
fn star(p: Point, r: f64) -> String {
    (0..10)
        .map(|i| {
            let radius = if i % 2 == 0 { r } else { r * 0.45 };
            let angle = std::f64::consts::PI * (i as f64) / 5.0 - std::f64::consts::FRAC_PI_2;
            format!(
                "{},{}",
                n(p.x + radius * angle.cos()),
                n(p.z + radius * angle.sin())
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The map and its text alternative.
pub fn map(terrain: &Terrain) -> Markup {
    let (w, d) = (terrain.size.width, terrain.size.depth);
    let pad = w.max(d) * 0.03;
    let unit = w.max(d) / 100.0;
    let view = format!(
        "{} {} {} {}",
        n(-w / 2.0 - pad),
        n(-d / 2.0 - pad),
        n(w + 2.0 * pad),
        n(d + 2.0 * pad)
    );
    let title = format!(
        "Top-down map of the {} terrain, {} by {} studs: {} zones, {} stations",
        biome_name(terrain.biome),
        n(w),
        n(d),
        terrain.zones.len(),
        terrain.stations.len()
    );
    html! {
        figure.terrain data-test="terrain" {
            svg xmlns="http://www.w3.org/2000/svg" viewBox=(view) role="img" aria-labelledby="terrain-title"
                data-test="terrain-map" style=(format!("--u: {}", n(unit))) {
                title id="terrain-title" { (title) }
                rect.ground x=(n(-w / 2.0)) y=(n(-d / 2.0)) width=(n(w)) height=(n(d)) fill=(ground(terrain.biome)) {}
                @for zone in &terrain.zones {
                    g.zone data-test="zone" data-zone=(zone.id) {
                        title { (zone.name) " (section " (zone.section + 1) ")" }
                        rect x=(n(zone.center.x - zone.size.width / 2.0)) y=(n(zone.center.z - zone.size.depth / 2.0))
                            width=(n(zone.size.width)) height=(n(zone.size.depth)) rx=(n(unit)) {}
                        text x=(n(zone.center.x - zone.size.width / 2.0 + unit)) y=(n(zone.center.z - zone.size.depth / 2.0 + 3.0 * unit))
                            font-size=(n(2.2 * unit)) { (fitted(&zone.name, zone.size.width - 2.0 * unit, 2.2 * unit)) }
                    }
                }
                @for station in &terrain.stations {
                    g data-test="station" data-station=(station.id) {
                        title { (station.label) " (" (kind_name(station.kind)) ")" }
                        (mark(station.kind, station.position, 1.6 * unit))
                    }
                }
                g data-test="spawn" {
                    title { "Spawn: where players appear" }
                    polygon.spawn points=(star(terrain.spawn, 3.0 * unit)) {}
                }
                text.compass x=(n(w / 2.0 - 2.0 * unit)) y=(n(-d / 2.0 + 4.0 * unit)) font-size=(n(3.5 * unit)) text-anchor="end" { "N ↑" }
            }
            figcaption {
                (terrain.theme) " · " (biome_name(terrain.biome)) " · " (n(w)) " × " (n(d)) " studs, " (n(terrain.size.height)) " high · "
                span.legend { "● info board  ■ activity  ◆ quiz kiosk  ★ spawn" }
            }
            details {
                summary { "The zones and stations as a table" }
                div.table-wrap {
                    table {
                        thead { tr { th { "Zone" } th { "Section" } th { "Stations" } } }
                        tbody {
                            @for zone in &terrain.zones {
                                tr {
                                    td { (zone.name) }
                                    td { (zone.section + 1) }
                                    td {
                                        @for station in terrain.stations.iter().filter(|s| s.zone == zone.id) {
                                            (station.label) " (" (kind_name(station.kind)) ") "
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Terrain {
        let raw = include_str!("../../../../docs/terrain.md");
        let start = raw
            .find("```json")
            .expect("docs/terrain.md has its example")
            + 7;
        let end = start + raw[start..].find("```").unwrap();
        serde_json::from_str(&raw[start..end]).expect("the documented example is a terrain")
    }

    fn svg_of(terrain: &Terrain) -> String {
        let page = map(terrain).into_string();
        let start = page.find("<svg").unwrap();
        let end = page.find("</svg>").unwrap() + 6;
        page[start..end].to_owned()
    }

    #[test]
    fn the_map_is_well_formed_svg_with_every_zone_station_and_the_spawn() {
        let terrain = example();
        let svg = svg_of(&terrain);
        let document = roxmltree::Document::parse(&svg).expect("well-formed XML");
        let root = document.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(
            root.attribute("viewBox"),
            Some("-135.68 -87.68 271.36 175.36")
        );
        let marked = |test: &str| {
            document
                .descendants()
                .filter(|node| node.attribute("data-test") == Some(test))
                .count()
        };
        assert_eq!(marked("zone"), 2);
        assert_eq!(marked("station"), 4);
        assert_eq!(marked("spawn"), 1);
        // Zone 1 is drawn where the terrain says: centre (-48, 0), 64 × 64.
        let zone = document
            .descendants()
            .find(|node| node.attribute("data-zone") == Some("zone_1"))
            .unwrap();
        let rect = zone.children().find(|c| c.has_tag_name("rect")).unwrap();
        assert_eq!(
            [
                rect.attribute("x"),
                rect.attribute("y"),
                rect.attribute("width")
            ],
            [Some("-80"), Some("-32"), Some("64")]
        );
    }

    #[test]
    fn a_long_zone_name_is_cut_to_its_zone() {
        assert_eq!(fitted("Part 1", 64.0, 2.0), "Part 1");
        let cut = fitted("Part 1: Explain how light drives photosynthesis", 20.0, 2.0);
        // 20 studs at 1.1 a character: 18 characters, the last the ellipsis.
        assert_eq!(cut, "Part 1: Explain h…");
    }

    #[test]
    fn hostile_labels_are_escaped() {
        let mut terrain = example();
        terrain.zones[0].name = "<script>alert(1)</script> & \"quotes\"".into();
        let svg = svg_of(&terrain);
        assert!(!svg.contains("<script>"));
        roxmltree::Document::parse(&svg).expect("still well-formed");
    }
}
