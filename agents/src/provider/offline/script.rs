//! The offline script agent: a Roblox server script (Luau) that gives every planned
//! station (see `outputs::stations`) a ProximityPrompt and, when triggered, sends the
//! station's content — the section's heading with its key terms, activity or quiz goals —
//! to the player over a `LecternStation` RemoteEvent. Every piece of text is escaped as a
//! Luau string literal.

use std::fmt::Write as _;

use domain::ContentPart;

use super::text::{clean, shorten};
use crate::outputs::{
    LessonPlan, PlannedStation, Script, ScriptLanguage, StationKind, planned_stations,
};
use crate::task::Brief;

const MAX_LINE: usize = 200;
const MAX_LINES: usize = 6;

const PREAMBLE: &str = r#"-- Each station is a Part named by its id in Workspace.LecternStations. This script
-- gives it a ProximityPrompt; when a player triggers it, the station's content is sent
-- to that player through the LecternStation RemoteEvent in ReplicatedStorage, for the
-- lesson's client UI to show.

local ReplicatedStorage = game:GetService("ReplicatedStorage")
local Workspace = game:GetService("Workspace")

type Station = {
	kind: string,
	section: number,
	title: string,
	lines: { string },
}
"#;

const HANDLERS: &str = r#"
local ACTIONS: { [string]: string } = {
	info_board = "Read",
	activity = "Start",
	quiz_kiosk = "Take the quiz",
}

local function stationEvent(): RemoteEvent
	local existing = ReplicatedStorage:FindFirstChild("LecternStation")
	if existing and existing:IsA("RemoteEvent") then
		return existing :: RemoteEvent
	end
	local event = Instance.new("RemoteEvent")
	event.Name = "LecternStation"
	event.Parent = ReplicatedStorage
	return event
end

local event = stationEvent()
local folder = Workspace:WaitForChild("LecternStations")

local function attach(id: string, station: Station)
	local part = folder:WaitForChild(id, 10)
	if not part then
		warn("Lectern: no station part named " .. id)
		return
	end
	local prompt = Instance.new("ProximityPrompt")
	prompt.ActionText = ACTIONS[station.kind] or "Open"
	prompt.ObjectText = station.title
	prompt.HoldDuration = 0
	prompt.MaxActivationDistance = 12
	prompt.RequiresLineOfSight = false
	prompt.Parent = part
	prompt.Triggered:Connect(function(player: Player)
		event:FireClient(player, id, station)
	end)
end

for id, station in STATIONS do
	task.spawn(attach, id, station)
end
"#;

pub fn script(brief: &Brief, plan: &LessonPlan) -> Script {
    let stations = planned_stations(plan, brief.wants(ContentPart::Quiz));
    let mut source = format!(
        "-- Lectern stations for {}\n-- Written by the offline templates (templates-v1), not by a language model.\n",
        luau_string(&shorten(&clean(&plan.title), MAX_LINE)),
    );
    source.push_str(PREAMBLE);
    source.push_str("\nlocal STATIONS: { [string]: Station } = {\n");
    for station in &stations {
        station_entry(&mut source, brief, plan, station);
    }
    source.push_str("}\n");
    source.push_str(HANDLERS);
    Script {
        language: ScriptLanguage::Luau,
        source,
        stations: stations.into_iter().map(|s| s.id).collect(),
    }
}

fn station_entry(source: &mut String, brief: &Brief, plan: &LessonPlan, station: &PlannedStation) {
    let section = &plan.sections[station.section];
    let lines: Vec<String> = match station.kind {
        StationKind::InfoBoard => section
            .key_terms
            .iter()
            .map(|k| format!("{}: {}", clean(&k.term), clean(&k.definition)))
            .collect(),
        StationKind::Activity => vec![clean(&section.activity.instructions)],
        StationKind::QuizKiosk => section
            .objectives
            .iter()
            .filter_map(|&i| brief.objectives.get(i))
            .map(|goal| format!("Goal: {}", clean(goal)))
            .collect(),
    };
    let lines: Vec<String> = lines
        .iter()
        .filter(|l| !l.is_empty())
        .take(MAX_LINES)
        .map(|l| luau_string(&shorten(l, MAX_LINE)))
        .collect();
    let title = clean(&section.heading);
    let title = if title.is_empty() {
        format!("Section {}", station.section + 1)
    } else {
        shorten(&title, MAX_LINE)
    };
    let _ = write!(
        source,
        "\t[{}] = {{\n\t\tkind = {},\n\t\tsection = {},\n\t\ttitle = {},\n\t\tlines = {{ {} }},\n\t}},\n",
        luau_string(&station.id),
        luau_string(station.kind.as_str()),
        station.section + 1,
        luau_string(&title),
        lines.join(", "),
    );
}

/// `text` as a double-quoted Luau string literal.
pub fn luau_string(text: &str) -> String {
    let mut literal = String::with_capacity(text.len() + 2);
    literal.push('"');
    for c in text.chars() {
        match c {
            '"' => literal.push_str("\\\""),
            '\\' => literal.push_str("\\\\"),
            '\n' => literal.push_str("\\n"),
            '\r' => literal.push_str("\\r"),
            '\t' => literal.push_str("\\t"),
            c if c.is_control() => {
                let mut buffer = [0; 4];
                for byte in c.encode_utf8(&mut buffer).bytes() {
                    let _ = write!(literal, "\\{byte:03}");
                }
            }
            c => literal.push(c),
        }
    }
    literal.push('"');
    literal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn awkward_text_becomes_a_literal_that_parses() {
        let text = "He said \"hi\" \\ then ]] left\n\t\u{1}é🙂 -- not a comment";
        let literal = luau_string(text);
        assert_eq!(
            literal,
            "\"He said \\\"hi\\\" \\\\ then ]] left\\n\\t\\001é🙂 -- not a comment\""
        );
        let source = format!("local s = {literal}\nprint(s)");
        assert!(
            full_moon::parse_fallible(&source, full_moon::LuaVersion::luau())
                .into_result()
                .is_ok()
        );
    }
}
