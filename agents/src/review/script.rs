//! Checks of the script: it parses as Luau (the parser's own message, with line and
//! column, becomes the finding) and it names, as string literals, every station it must
//! handle — the terrain's when there is one, else the ones it declares — and declares
//! every station of the terrain.

use domain::AgentName;

use super::Finding;
use super::luau;
use crate::outputs::{Script, Terrain};

pub(super) fn check(script: &Script, terrain: Option<&Terrain>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut find = |check, message: String| {
        findings.push(Finding::new(AgentName::Script, check, message));
    };
    let literals = match luau::string_literals(&script.source) {
        Ok(literals) => literals,
        Err(error) => {
            find("script-parses", error.to_string());
            return findings;
        }
    };
    let stations: Vec<&str> = match terrain {
        Some(terrain) => terrain.stations.iter().map(|s| s.id.as_str()).collect(),
        None => script.stations.iter().map(String::as_str).collect(),
    };
    let undeclared: Vec<&str> = stations
        .iter()
        .copied()
        .filter(|id| !script.stations.iter().any(|s| s == id))
        .collect();
    if !undeclared.is_empty() {
        find(
            "script-declares-stations",
            format!(
                "`stations` lacks the terrain's station(s) {}",
                undeclared.join(", ")
            ),
        );
    }
    let unhandled: Vec<&str> = stations
        .into_iter()
        .filter(|id| !literals.contains(*id))
        .collect();
    if !unhandled.is_empty() {
        find(
            "script-handles-stations",
            format!(
                "the source never names station(s) {} as a string; look each one up by \
                 its id and attach its handler",
                unhandled.join(", ")
            ),
        );
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::tests::{script, terrain};

    #[test]
    fn a_script_naming_every_station_has_no_findings() {
        assert_eq!(check(&script(), Some(&terrain())), vec![]);
        assert_eq!(check(&script(), None), vec![]);
    }

    #[test]
    fn a_script_that_does_not_parse_is_found_with_the_parsers_message() {
        let mut script = script();
        script.source.push_str("\nlocal function broken(\n");
        let findings = check(&script, Some(&terrain()));
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].check, "script-parses");
        assert!(
            findings[0]
                .message
                .starts_with("the script does not parse as Luau: line "),
            "{findings:?}"
        );
    }

    #[test]
    fn a_station_named_only_in_a_comment_is_not_handled() {
        let terrain = terrain();
        let id = terrain.stations[0].id.clone();
        let mut script = script();
        script.source = script.source.replace(&format!("\"{id}\""), "\"other\"");
        script.source.push_str(&format!("\n-- {id}\n"));
        let findings = check(&script, Some(&terrain));
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].check, "script-handles-stations");
        assert!(findings[0].message.contains(&id));
    }

    #[test]
    fn a_terrain_station_missing_from_the_declared_list_is_found() {
        let mut script = script();
        script.stations.pop();
        let findings = check(&script, Some(&terrain()));
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].check, "script-declares-stations");
    }
}
