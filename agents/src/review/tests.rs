//! Fixtures shared by the checks' tests — a brief and drafts that pass every check — and
//! the tests of the review as a whole.

use domain::ContentPart;
use uuid::Uuid;

use super::*;
use crate::outputs::{
    Activity, Biome, KeyTerm, Point, QuizItem, QuizOption, ScriptLanguage, Section, Size, Station,
    StationKind, Zone,
};

pub fn brief() -> Brief {
    Brief {
        request_id: Uuid::nil(),
        lesson_id: Uuid::nil(),
        title: "Plants and Light".into(),
        subject: "Science".into(),
        grade_level: 4,
        objectives: vec![
            "Explain why plants need light".into(),
            "Name the parts of a leaf".into(),
        ],
        duration_minutes: 30,
        parts: ContentPart::ALL.to_vec(),
        theme: Some("a garden".into()),
    }
}

fn section(heading: &str, explanation: &str, objective: usize) -> Section {
    Section {
        heading: heading.into(),
        explanation: explanation.into(),
        key_terms: vec![KeyTerm {
            term: "leaf".into(),
            definition: "The flat green part of a plant that catches light.".into(),
        }],
        activity: Activity {
            kind: "hands_on".into(),
            instructions: "Hold a leaf up to the window and draw what you see.".into(),
            minutes: 5,
        },
        minutes: 15,
        objectives: vec![objective],
    }
}

pub fn plan() -> LessonPlan {
    LessonPlan {
        title: "Plants and Light".into(),
        summary: "Plants need light to live. In this lesson we find out why, and we look \
                  closely at the parts of a leaf."
            .into(),
        grade_level: 4,
        duration_minutes: 30,
        sections: vec![
            section(
                "Why plants need light",
                "Plants make their own food. They use light from the sun to do it. The \
                 green color in a leaf catches the light.\n\nWithout light, a plant \
                 cannot make food. It grows weak and pale. That is why plants on a \
                 windowsill lean toward the glass.",
                0,
            ),
            section(
                "The parts of a leaf",
                "A leaf has a flat blade that catches light. Thin veins carry water \
                 through the blade. A short stalk holds the leaf on the stem.\n\nTiny \
                 holes under the leaf let air in and out. Each part has a job, and \
                 together they help the plant make food.",
                1,
            ),
        ],
        closing: Some("We share our drawings and tell a partner what each part does.".into()),
        generator: None,
    }
}

pub fn quiz() -> Quiz {
    let item = |question: &str, options: [(&str, bool); 3], objective| QuizItem {
        question: question.into(),
        options: options
            .into_iter()
            .map(|(text, correct)| QuizOption {
                text: text.into(),
                correct,
            })
            .collect(),
        explanation: "The lesson showed this with a real leaf.".into(),
        objective,
    };
    Quiz {
        items: vec![
            item(
                "Why do plants need light?",
                [
                    ("To make food", true),
                    ("To stay cold", false),
                    ("To sleep", false),
                ],
                0,
            ),
            item(
                "Which part of a leaf carries water?",
                [
                    ("The veins", true),
                    ("The holes", false),
                    ("The color", false),
                ],
                1,
            ),
        ],
    }
}

pub fn terrain() -> Terrain {
    let at = |x, z| Point { x, y: 0.0, z };
    let zone = |id: &str, name: &str, section, x| Zone {
        id: id.into(),
        name: name.into(),
        section,
        center: at(x, 0.0),
        size: Size {
            width: 64.0,
            depth: 64.0,
            height: 32.0,
        },
    };
    let station = |id: &str, zone: &str, kind, position| Station {
        id: id.into(),
        zone: zone.into(),
        kind,
        label: id.replace('_', " "),
        position,
    };
    Terrain {
        size: Size {
            width: 256.0,
            depth: 256.0,
            height: 64.0,
        },
        biome: Biome::Grassland,
        theme: "a garden".into(),
        zones: vec![
            zone("zone_1", "Why plants need light", 0, -64.0),
            zone("zone_2", "The parts of a leaf", 1, 64.0),
        ],
        spawn: Point {
            x: 0.0,
            y: 5.0,
            z: 0.0,
        },
        stations: vec![
            station(
                "s1_info",
                "zone_1",
                StationKind::InfoBoard,
                at(-74.0, -10.0),
            ),
            station(
                "s1_activity",
                "zone_1",
                StationKind::Activity,
                at(-54.0, 10.0),
            ),
            station("s2_info", "zone_2", StationKind::InfoBoard, at(54.0, -10.0)),
            station(
                "s2_activity",
                "zone_2",
                StationKind::Activity,
                at(74.0, 10.0),
            ),
        ],
    }
}

pub fn script() -> Script {
    let source = r#"local Workspace = game:GetService("Workspace")
local STATIONS = {
	["s1_info"] = "Why plants need light",
	["s1_activity"] = "Draw a leaf",
	["s2_info"] = "The parts of a leaf",
	["s2_activity"] = "Find the veins",
}
local folder = Workspace:WaitForChild("LecternStations")
for id, title in pairs(STATIONS) do
	local part = folder:WaitForChild(id)
	local prompt = Instance.new("ProximityPrompt")
	prompt.ObjectText = title
	prompt.Parent = part
	prompt.Triggered:Connect(function(player: Player)
		print(player.Name, id)
	end)
end
"#;
    Script {
        language: ScriptLanguage::Luau,
        source: source.into(),
        stations: ["s1_info", "s1_activity", "s2_info", "s2_activity"]
            .map(String::from)
            .to_vec(),
    }
}

fn reviewed(quiz: &Quiz, terrain: &Terrain, script: &Script) -> Review {
    let plan = plan();
    review(
        &brief(),
        &Drafts {
            lesson: &plan,
            quiz: Some(quiz),
            terrain: Some(terrain),
            script: Some(script),
        },
    )
}

#[test]
fn the_fixtures_pass_every_check() {
    let review = reviewed(&quiz(), &terrain(), &script());
    assert_eq!(review.findings, vec![]);
    assert!(review.passed());
    assert!(review.agents_to_redo().is_empty());
}

#[test]
fn findings_name_the_agents_to_redo_and_their_feedback() {
    let mut quiz = quiz();
    quiz.items[0].options[1].correct = true;
    let mut script = script();
    script.source.push_str("end end");
    let review = reviewed(&quiz, &terrain(), &script);
    assert!(!review.passed());
    assert_eq!(
        review.agents_to_redo(),
        BTreeSet::from([AgentName::Quiz, AgentName::Script])
    );
    let feedback = review.feedback_for(AgentName::Quiz);
    assert_eq!(feedback.len(), 1);
    assert!(feedback[0].starts_with("quiz-one-correct-option: `items[0]` has 2"));
}

#[test]
fn a_wanted_part_without_a_draft_is_missing_and_an_unwanted_one_is_not() {
    let plan = plan();
    let mut brief = brief();
    brief.parts = vec![ContentPart::LessonContent, ContentPart::Quiz];
    let drafts = Drafts {
        lesson: &plan,
        quiz: None,
        terrain: None,
        script: None,
    };
    let review = review(&brief, &drafts);
    assert_eq!(review.findings.len(), 1, "{:?}", review.findings);
    assert_eq!(review.findings[0].check, "part-missing");
    assert_eq!(review.findings[0].agent, AgentName::Quiz);
}

#[test]
fn a_review_serializes_for_the_record() {
    let mut terrain = terrain();
    terrain.spawn.y = -1.0;
    let review = reviewed(&quiz(), &terrain, &script());
    assert_eq!(
        serde_json::to_value(&review).unwrap()["findings"][0]["agent"],
        "terrain"
    );
}
