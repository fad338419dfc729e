//! The chat messages an HTTP model provider sends for a task: the system message says
//! which agent the model is and the rules every answer follows; the user message holds the
//! brief, the lesson plan (for the agents that build on it), the station plan (terrain and
//! script), the exact JSON shape to answer with (for the terrain, its JSON Schema), the
//! checks the answer will face, and the feedback to address on a retry.
//!
//! Rendering only writes text: it never calls a provider, and it includes nothing of the
//! request but the brief (no ids, no user names).

use std::fmt::Write as _;

use domain::{AgentName, ContentPart};

use crate::outputs::{LessonPlan, planned_stations, terrain};
use crate::review::MIN_EXPLANATION_WORDS;
use crate::review::luau::{MAX_NESTING, MAX_SOURCE_BYTES};
use crate::review::readability::Band;
use crate::task::{Brief, Task};

/// A task as a system and a user message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub system: String,
    pub user: String,
}

/// The messages for `task`: what the agent is, the brief, the lesson plan when there is
/// one, the exact JSON shape to answer with, and any feedback to address.
pub fn render(task: &Task) -> Prompt {
    let mut user = String::new();
    brief_section(&mut user, &task.brief);
    if task.agent != AgentName::Content {
        plan_section(&mut user, task.lesson.as_ref());
    }
    if let (AgentName::Terrain | AgentName::Script, Some(plan)) = (task.agent, &task.lesson) {
        stations_section(&mut user, &task.brief, plan);
    }
    shape_section(&mut user, task.agent);
    checks_section(&mut user, task);
    feedback_section(&mut user, &task.feedback);
    user.push_str("\nAnswer with the JSON object only.\n");
    Prompt {
        system: system(task.agent),
        user,
    }
}

fn system(agent: AgentName) -> String {
    let role = match agent {
        AgentName::Content => {
            "You write a lesson's structure: sections with a few paragraphs of clear \
             explanation, key terms and an activity each, fitted to the learners' grade and \
             to the lesson's duration, covering every learning objective."
        }
        AgentName::Quiz => {
            "You write multiple-choice quiz items for a lesson, each tied to one of its \
             learning objectives, each with exactly one correct option and an explanation \
             of the answer."
        }
        AgentName::Terrain => {
            "You describe a Roblox 3D environment for a lesson: a terrain with one zone per \
             section of the lesson plan and interactive stations (info boards, activities, \
             quiz kiosks) inside the zones."
        }
        AgentName::Script => {
            "You write one Roblox server script in Luau that makes the lesson's stations \
             interactive, with a ProximityPrompt per station that shows the player the \
             station's content."
        }
        AgentName::Review => "You check the other agents' outputs against the request.",
    };
    format!(
        "You are the {agent} agent of Lectern, a platform that turns a teacher's request \
         into a lesson for students. {role}\n\n\
         Rules for every answer:\n\
         - Answer with exactly one JSON object in the required shape: no prose before or \
           after it, no Markdown fences, no fields that are not in the shape.\n\
         - Write for the learners' grade; they and their teacher read what you write.\n\
         - Never include email addresses, phone numbers or any other personal contact \
           details.\n\
         - When you mention the teacher's own words (title, subject, objectives, theme), \
           quote them as written."
    )
}

fn brief_section(out: &mut String, brief: &Brief) {
    let grade = match brief.grade_level {
        0 => "kindergarten (0)".to_owned(),
        grade => grade.to_string(),
    };
    let _ = writeln!(out, "## The request\n");
    let _ = writeln!(out, "Title: {}", brief.title);
    let _ = writeln!(out, "Subject: {}", brief.subject);
    let _ = writeln!(out, "Grade: {grade}");
    let _ = writeln!(out, "Duration: {} minutes", brief.duration_minutes);
    let _ = writeln!(out, "Objectives (referred to by index):");
    for (index, objective) in brief.objectives.iter().enumerate() {
        let _ = writeln!(out, "  {index}. {objective}");
    }
    match &brief.theme {
        Some(theme) => {
            let _ = writeln!(out, "Theme: {theme}");
        }
        None => {
            let _ = writeln!(out, "Theme: none given; choose one that suits the subject");
        }
    }
    let parts: Vec<&str> = brief.parts.iter().map(|p| p.as_str()).collect();
    let _ = writeln!(out, "Parts requested: {}", parts.join(", "));
}

fn plan_section(out: &mut String, plan: Option<&LessonPlan>) {
    let _ = writeln!(out, "\n## The lesson plan (by the content agent)\n");
    match plan.and_then(|p| serde_json::to_string_pretty(p).ok()) {
        Some(json) => {
            let _ = writeln!(out, "{json}");
        }
        None => {
            let _ = writeln!(out, "(none yet: base your answer on the request alone)");
        }
    }
}

fn stations_section(out: &mut String, brief: &Brief, plan: &LessonPlan) {
    let _ = writeln!(
        out,
        "\n## The stations\n\nThe terrain and the script are made at the same time, so both \
         use exactly these stations. In Roblox each is a Part named by its id inside \
         Workspace.LecternStations.\n"
    );
    for station in planned_stations(plan, brief.wants(ContentPart::Quiz)) {
        let heading = plan
            .sections
            .get(station.section)
            .map_or("", |s| s.heading.as_str());
        let _ = writeln!(
            out,
            "- `{}`: {} in zone `{}`, for section {} ({heading})",
            station.id,
            station.kind.as_str(),
            station.zone,
            station.section
        );
    }
}

const CONTENT_SHAPE: &str = r#"{
  "title": string,
  "summary": string,            // 2-4 sentences for the learner
  "grade_level": integer,       // the request's grade
  "duration_minutes": integer,  // the request's duration
  "sections": [
    {
      "heading": string,
      "explanation": string,    // a few paragraphs, separated by blank lines
      "key_terms": [ { "term": string, "definition": string } ],
      "activity": {
        "kind": string,         // e.g. discussion, hands_on, writing, game
        "instructions": string,
        "minutes": integer      // part of the section's minutes
      },
      "minutes": integer,
      "objectives": [integer]   // indices of the objectives the section covers
    }
  ],
  "closing": string             // optional: how the lesson ends or is assessed
}"#;

const QUIZ_SHAPE: &str = r#"{
  "items": [
    {
      "question": string,
      "options": [ { "text": string, "correct": boolean } ],  // 3 or 4 options
      "explanation": string,    // why the correct option is correct
      "objective": integer      // index of the objective the item assesses
    }
  ]
}"#;

const SCRIPT_SHAPE: &str = r#"{
  "language": "luau",
  "source": string,             // the whole script
  "stations": [string]          // the ids of the stations it handles
}"#;

fn shape_section(out: &mut String, agent: AgentName) {
    let _ = writeln!(out, "\n## The JSON to answer with\n");
    let shape = match agent {
        AgentName::Content => CONTENT_SHAPE,
        AgentName::Quiz => QUIZ_SHAPE,
        AgentName::Script => SCRIPT_SHAPE,
        AgentName::Terrain => {
            let _ = writeln!(
                out,
                "An object valid against this JSON Schema (draft 2020-12). Sizes and \
                 positions are in studs; y is up; the terrain spans x from -width/2 to \
                 width/2, z from -depth/2 to depth/2 and y from 0 to height.\n"
            );
            terrain::SCHEMA.trim_end()
        }
        AgentName::Review => "{}",
    };
    let _ = writeln!(out, "{shape}");
    if agent != AgentName::Terrain {
        let _ = writeln!(out, "\n(`//` comments explain fields; do not write them.)");
    }
}

fn checks_section(out: &mut String, task: &Task) {
    let brief = &task.brief;
    let last = brief.objectives.len().saturating_sub(1);
    let checks: Vec<String> = match task.agent {
        AgentName::Content => vec![
            format!(
                "`grade_level` is {} and `duration_minutes` is {}.",
                brief.grade_level, brief.duration_minutes
            ),
            format!(
                "The sections' minutes add up to exactly {}; each activity fits in its \
                 section.",
                brief.duration_minutes
            ),
            format!(
                "Every objective ({}) is covered by a section.",
                indices(last)
            ),
            format!("Each explanation has at least {MIN_EXPLANATION_WORDS} words of real prose."),
            format!(
                "The summary, explanations and closing read at a Flesch-Kincaid grade level \
                 of {} (grade {}): choose sentence length and words for these learners.",
                Band::for_grade(brief.grade_level),
                brief.grade_level
            ),
        ],
        AgentName::Quiz => vec![
            "Every item has a question, at least two options, exactly one correct option \
             and an explanation."
                .to_owned(),
            "No two options of an item are the same, ignoring case and spacing.".to_owned(),
            format!(
                "Every item's objective is one of the objectives' indices ({}), and every \
                 objective has at least one item.",
                indices(last)
            ),
        ],
        AgentName::Terrain => vec![
            "The JSON is valid against the schema above.".to_owned(),
            "Ids are unique across zones and stations.".to_owned(),
            "Every section of the plan has a zone; every zone's `section` is an index into \
             the plan's sections; zones lie within the terrain."
                .to_owned(),
            "Every station listed above is present with its id, kind and zone, and stands \
             inside its zone's footprint."
                .to_owned(),
            "The spawn lies within the terrain.".to_owned(),
        ],
        AgentName::Script => vec![
            format!(
                "The source parses as Luau (Roblox), is at most {} KiB and nests blocks and \
                 brackets at most {MAX_NESTING} deep.",
                MAX_SOURCE_BYTES / 1024
            ),
            "The source names every station id listed above as a string literal, and \
             `stations` lists them all."
                .to_owned(),
        ],
        AgentName::Review => Vec::new(),
    };
    let _ = writeln!(out, "\n## Checks your answer must pass\n");
    for check in checks {
        let _ = writeln!(out, "- {check}");
    }
    let _ = writeln!(out, "- No email addresses or phone numbers anywhere.");
}

/// "index 0" or "indices 0 to `last`".
fn indices(last: usize) -> String {
    if last == 0 {
        "index 0".to_owned()
    } else {
        format!("indices 0 to {last}")
    }
}

fn feedback_section(out: &mut String, feedback: &[String]) {
    if feedback.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n## Fix these problems\n\nYour previous answer was checked and these problems \
         were found; answer again with all of them fixed:\n"
    );
    for item in feedback {
        let _ = writeln!(out, "- {item}");
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::provider::offline::Offline;

    fn brief() -> Brief {
        Brief {
            request_id: Uuid::nil(),
            lesson_id: Uuid::nil(),
            title: "Plants and Light".into(),
            subject: "Science".into(),
            grade_level: 4,
            objectives: vec![
                "Explain why plants need light".into(),
                "Name leaf parts".into(),
            ],
            duration_minutes: 40,
            parts: ContentPart::ALL.to_vec(),
            theme: None,
        }
    }

    fn task(agent: AgentName) -> Task {
        let mut task = Task::new(agent, brief());
        if agent != AgentName::Content {
            let text = Offline::new()
                .answer(&Task::new(AgentName::Content, brief()))
                .unwrap();
            task.lesson = serde_json::from_str(&text).ok();
        }
        task
    }

    #[test]
    fn the_content_prompt_has_the_role_the_brief_the_shape_and_the_reading_band() {
        let prompt = render(&task(AgentName::Content));
        assert!(
            prompt
                .system
                .starts_with("You are the content agent of Lectern")
        );
        assert!(prompt.system.contains("no Markdown fences"));
        for expected in [
            "Grade: 4",
            "Duration: 40 minutes",
            "  0. Explain why plants need light",
            "  1. Name leaf parts",
            "Theme: none given",
            "\"key_terms\"",
            "add up to exactly 40",
            "Every objective (indices 0 to 1) is covered",
            "grade level of 1 to 7",
            "Answer with the JSON object only.",
        ] {
            assert!(
                prompt.user.contains(expected),
                "{expected:?} not in\n{}",
                prompt.user
            );
        }
        assert!(!prompt.user.contains("lesson plan (by the content agent)"));
        assert!(!prompt.user.contains("Fix these problems"));
    }

    #[test]
    fn dependent_agents_see_the_plan_as_json() {
        let task = task(AgentName::Quiz);
        let prompt = render(&task);
        let plan = serde_json::to_string_pretty(task.lesson.as_ref().unwrap()).unwrap();
        assert!(prompt.user.contains(&plan));
        assert!(prompt.user.contains("exactly one correct option"));
        assert!(!prompt.user.contains("## The stations"));
    }

    #[test]
    fn the_terrain_prompt_carries_the_schema_and_the_stations() {
        let prompt = render(&task(AgentName::Terrain));
        assert!(prompt.user.contains(terrain::SCHEMA.trim_end()));
        assert!(
            prompt
                .user
                .contains("- `s1_info`: info_board in zone `zone_1`")
        );
        assert!(prompt.user.contains("`s1_quiz`: quiz_kiosk"));
    }

    #[test]
    fn the_script_prompt_names_the_stations_without_quiz_kiosks_when_no_quiz_is_wanted() {
        let mut task = task(AgentName::Script);
        task.brief.parts = vec![ContentPart::Terrain, ContentPart::Script];
        let prompt = render(&task);
        assert!(prompt.system.contains("Luau"));
        assert!(prompt.user.contains("`s1_activity`"));
        assert!(!prompt.user.contains("quiz_kiosk"));
        assert!(prompt.user.contains("\"language\": \"luau\""));
    }

    #[test]
    fn feedback_is_listed_to_be_fixed() {
        let mut task = task(AgentName::Quiz);
        task.feedback = vec![
            "quiz-one-correct-option: `items[0]` has 2 correct options".into(),
            "at `items[1]`: missing field `explanation`".into(),
        ];
        let prompt = render(&task);
        let at = prompt.user.find("## Fix these problems").unwrap();
        assert!(prompt.user[at..].contains("- quiz-one-correct-option: `items[0]`"));
        assert!(prompt.user[at..].contains("- at `items[1]`: missing field"));
    }
}
