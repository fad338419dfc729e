//! Parsing model text into each agent's output.

use serde_json::{Value, json};

use super::*;

fn plan_json() -> Value {
    json!({
        "title": "Leaves",
        "summary": "We look at leaves.",
        "grade_level": 3,
        "duration_minutes": 30,
        "sections": [{
            "heading": "What leaves do",
            "explanation": "Leaves make food for the plant.",
            "key_terms": [{ "term": "leaf", "definition": "The flat green part of a plant." }],
            "activity": { "kind": "hands_on", "instructions": "Trace a leaf.", "minutes": 10 },
            "minutes": 30,
            "objectives": [0]
        }]
    })
}

fn quiz_json() -> Value {
    json!({
        "items": [{
            "question": "What do leaves make?",
            "options": [
                { "text": "Food", "correct": true },
                { "text": "Rocks", "correct": false }
            ],
            "explanation": "Leaves use light to make food.",
            "objective": 0
        }]
    })
}

fn terrain_json() -> Value {
    json!({
        "size": { "width": 128.0, "depth": 128.0, "height": 64.0 },
        "biome": "forest",
        "theme": "a leafy trail",
        "zones": [{
            "id": "zone_1", "name": "What leaves do", "section": 0,
            "center": { "x": 0.0, "y": 0.0, "z": 0.0 },
            "size": { "width": 64.0, "depth": 64.0, "height": 32.0 }
        }],
        "spawn": { "x": 0.0, "y": 5.0, "z": 0.0 },
        "stations": [{
            "id": "s1_info", "zone": "zone_1", "kind": "info_board",
            "label": "Leaves", "position": { "x": 10.0, "y": 0.0, "z": 0.0 }
        }]
    })
}

fn script_json() -> Value {
    json!({
        "language": "luau",
        "source": "print(\"s1_info\")",
        "stations": ["s1_info"]
    })
}

#[test]
fn each_agent_parses_its_own_shape_and_round_trips_to_the_same_json() {
    let cases = [
        (AgentName::Content, plan_json()),
        (AgentName::Quiz, quiz_json()),
        (AgentName::Terrain, terrain_json()),
        (AgentName::Script, script_json()),
    ];
    for (agent, value) in cases {
        let output = parse(agent, &value.to_string()).unwrap();
        assert_eq!(output.agent(), agent);
        assert_eq!(output.to_value(), value);
    }
}

#[test]
fn a_fenced_answer_with_prose_parses() {
    let text = format!(
        "Here you go:\n```json\n{:#}\n```\nLet me know!",
        quiz_json()
    );
    assert!(matches!(
        parse(AgentName::Quiz, &text),
        Ok(AgentOutput::Quiz(quiz)) if quiz.items.len() == 1
    ));
}

#[test]
fn a_mistyped_field_is_reported_with_its_path() {
    let mut quiz = quiz_json();
    quiz["items"][0]["options"][1]["correct"] = json!("no");
    let error = parse(AgentName::Quiz, &quiz.to_string()).unwrap_err();
    let OutputError::Shape { path, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(path, "items[0].options[1].correct");
    assert!(
        error
            .to_string()
            .starts_with("at `items[0].options[1].correct`: invalid type")
    );
}

#[test]
fn a_missing_field_is_reported_with_its_path() {
    let mut plan = plan_json();
    plan["sections"][0]
        .as_object_mut()
        .unwrap()
        .remove("minutes");
    let error = parse(AgentName::Content, &plan.to_string()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "at `sections[0]`: missing field `minutes`"
    );
}

#[test]
fn an_unknown_field_is_refused() {
    let mut script = script_json();
    script["author"] = json!("me");
    let error = parse(AgentName::Script, &script.to_string()).unwrap_err();
    assert!(
        error.to_string().contains("unknown field `author`"),
        "{error}"
    );
}

#[test]
fn a_terrain_missing_a_required_field_is_a_schema_error() {
    let mut terrain = terrain_json();
    terrain.as_object_mut().unwrap().remove("spawn");
    let error = parse(AgentName::Terrain, &terrain.to_string()).unwrap_err();
    let OutputError::Schema { violations } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(violations.len(), 1);
    assert!(
        error
            .to_string()
            .contains("\"spawn\" is a required property"),
        "{error}"
    );
}

#[test]
fn empty_plans_quizzes_and_scripts_are_invalid() {
    let mut plan = plan_json();
    plan["sections"] = json!([]);
    let mut quiz = quiz_json();
    quiz["items"] = json!([]);
    let mut script = script_json();
    script["source"] = json!("  ");
    for (agent, value, problem) in [
        (AgentName::Content, plan, "`sections` must not be empty"),
        (AgentName::Quiz, quiz, "`items` must not be empty"),
        (AgentName::Script, script, "`source` must not be empty"),
    ] {
        assert_eq!(
            parse(agent, &value.to_string()),
            Err(OutputError::Invalid {
                problems: vec![problem.into()]
            })
        );
    }
}

#[test]
fn prose_without_json_is_no_json() {
    let error = parse(AgentName::Content, "I would love to help.").unwrap_err();
    assert_eq!(error, OutputError::NoJson);
    assert!(
        error
            .to_string()
            .contains("answer with exactly one JSON object")
    );
}

#[test]
fn the_review_agent_has_nothing_to_parse() {
    assert_eq!(
        parse(AgentName::Review, "{}"),
        Err(OutputError::NoOutput {
            agent: AgentName::Review
        })
    );
}

#[test]
fn stations_are_planned_per_section_with_quiz_kiosks_only_for_a_quiz() {
    let mut plan: LessonPlan = serde_json::from_value(plan_json()).unwrap();
    plan.sections.push(plan.sections[0].clone());
    let ids = |with_quiz| -> Vec<String> {
        planned_stations(&plan, with_quiz)
            .into_iter()
            .map(|s| format!("{}@{}", s.id, s.zone))
            .collect()
    };
    assert_eq!(
        ids(false),
        [
            "s1_info@zone_1",
            "s1_activity@zone_1",
            "s2_info@zone_2",
            "s2_activity@zone_2"
        ]
    );
    assert_eq!(ids(true).len(), 6);
    assert!(ids(true).contains(&"s2_quiz@zone_2".to_owned()));
}
