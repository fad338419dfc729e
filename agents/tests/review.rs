//! The review through the crate's public interface: offline outputs pass it for every kind
//! of brief, and each way a draft can fail is found and addressed to the agent that must
//! fix it.

use agents::outputs::{self, AgentOutput, LessonPlan, Quiz, Script, Terrain};
use agents::provider::Provider;
use agents::provider::offline::Offline;
use agents::review::{self, Drafts, Review};
use agents::{Brief, Task};
use domain::{AgentName, ContentPart};
use futures::executor::block_on;
use uuid::Uuid;

/// Every draft the brief calls for, made by the offline provider and parsed as the
/// supervisor would.
struct Made {
    lesson: LessonPlan,
    quiz: Option<Quiz>,
    terrain: Option<Terrain>,
    script: Option<Script>,
}

impl Made {
    fn drafts(&self) -> Drafts<'_> {
        Drafts {
            lesson: &self.lesson,
            quiz: self.quiz.as_ref(),
            terrain: self.terrain.as_ref(),
            script: self.script.as_ref(),
        }
    }
}

fn answer(task: &Task) -> AgentOutput {
    let completion = block_on(Offline::new().complete(task)).expect("the offline provider answers");
    outputs::parse(task.agent, &completion.text).unwrap_or_else(|error| {
        panic!(
            "{} output does not parse: {error}\n{}",
            task.agent, completion.text
        )
    })
}

fn make(brief: &Brief) -> Made {
    let AgentOutput::Content(lesson) = answer(&Task::new(AgentName::Content, brief.clone())) else {
        panic!("the content agent made something else");
    };
    let part = |agent: AgentName| {
        brief.wants(agent.part().unwrap()).then(|| {
            let mut task = Task::new(agent, brief.clone());
            task.lesson = Some(lesson.clone());
            answer(&task)
        })
    };
    let quiz = part(AgentName::Quiz).map(|o| match o {
        AgentOutput::Quiz(quiz) => quiz,
        other => panic!("{other:?}"),
    });
    let terrain = part(AgentName::Terrain).map(|o| match o {
        AgentOutput::Terrain(terrain) => terrain,
        other => panic!("{other:?}"),
    });
    let script = part(AgentName::Script).map(|o| match o {
        AgentOutput::Script(script) => script,
        other => panic!("{other:?}"),
    });
    Made {
        lesson,
        quiz,
        terrain,
        script,
    }
}

fn brief(grade: u8, objectives: usize, minutes: u16, theme: Option<&str>) -> Brief {
    Brief {
        request_id: Uuid::nil(),
        lesson_id: Uuid::nil(),
        title: "Forces and Motion".into(),
        subject: "Physical Science".into(),
        grade_level: grade,
        objectives: (1..=objectives)
            .map(|i| format!("Explain how balanced and unbalanced forces change motion ({i})"))
            .collect(),
        duration_minutes: minutes,
        parts: ContentPart::ALL.to_vec(),
        theme: theme.map(str::to_owned),
    }
}

/// Subjects, titles and objectives of every kind of awkwardness, cycled through.
const SUBJECTS: [&str; 6] = [
    "Mathematics",
    "PE",
    "Art",
    "Historia de España",
    "Environmental Science and Sustainable Development of Coastal Communities Worldwide",
    "Computer \"Science\" [Luau]",
];
const TITLES: [&str; 4] = [
    "Fractions on a Number Line",
    "The \"Water\" Cycle ]] -- not Luau",
    "Photosynthesis\nand Respiration",
    "Les Misérables: Chapitre 1 🙂",
];
const OBJECTIVES: [&str; 6] = [
    "Compare fractions with unlike denominators",
    "Analyze the interdependence of photosynthetic organisms and heterotrophic consumers",
    "abc",
    "Write to ms.smith@school.org or call 555-123-4567 with questions",
    "Use \"quotes\", back\\slashes and [[brackets]] correctly",
    "Describe the  causes\tof the French Revolution",
];

fn passes(brief: &Brief) {
    let made = make(brief);
    let review = review::review(brief, &made.drafts());
    assert!(
        review.passed(),
        "grade {}, {} objectives, {} min, theme {:?}, parts {:?}, subject {:?}:\n{:#?}",
        brief.grade_level,
        brief.objectives.len(),
        brief.duration_minutes,
        brief.theme,
        brief.parts,
        brief.subject,
        review.findings
    );
}

#[test]
fn offline_outputs_parse_and_pass_review_for_every_grade_length_and_size() {
    let mut case = 0;
    for grade in 0..=12 {
        for minutes in [5, 45, 180] {
            for objectives in [1, 10] {
                for theme in [None, Some("a space station orbiting Mars")] {
                    let mut brief = brief(grade, objectives, minutes, theme);
                    if case % 2 == 1 {
                        brief.subject = SUBJECTS[case / 2 % SUBJECTS.len()].into();
                        brief.title = TITLES[case / 2 % TITLES.len()].into();
                        for (i, objective) in brief.objectives.iter_mut().enumerate() {
                            *objective = OBJECTIVES[(case + i) % OBJECTIVES.len()].into();
                        }
                    }
                    passes(&brief);
                    case += 1;
                }
            }
        }
    }
    assert_eq!(case, 13 * 3 * 2 * 2);
}

#[test]
fn offline_outputs_pass_review_for_every_subset_of_parts() {
    for mask in 1..16_usize {
        let parts: Vec<ContentPart> = ContentPart::ALL
            .into_iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, part)| part)
            .collect();
        for (grade, minutes, objectives) in [(0, 7, 3), (6, 100, 5), (12, 179, 2)] {
            let mut brief = brief(grade, objectives, minutes, Some("an underwater city"));
            brief.parts = parts.clone();
            passes(&brief);
        }
    }
}

fn offline(brief: &Brief) -> Made {
    make(brief)
}

fn findings(review: &Review, check: &str) -> Vec<(AgentName, String)> {
    review
        .findings
        .iter()
        .filter(|f| f.check == check)
        .map(|f| (f.agent, f.message.clone()))
        .collect()
}

#[test]
fn a_quiz_item_with_two_correct_options_is_sent_back_to_the_quiz_agent() {
    let brief = brief(5, 3, 45, None);
    let mut made = offline(&brief);
    let quiz = made.quiz.as_mut().unwrap();
    for option in &mut quiz.items[2].options {
        option.correct = true;
    }
    let review = review::review(&brief, &made.drafts());
    let found = findings(&review, "quiz-one-correct-option");
    assert_eq!(found.len(), 1, "{:#?}", review.findings);
    assert_eq!(found[0].0, AgentName::Quiz);
    assert!(found[0].1.contains("items[2]"), "{}", found[0].1);
    assert_eq!(
        review.agents_to_redo().into_iter().collect::<Vec<_>>(),
        [AgentName::Quiz]
    );
}

#[test]
fn a_script_that_does_not_parse_is_sent_back_with_the_parsers_message() {
    let brief = brief(8, 2, 30, None);
    let mut made = offline(&brief);
    let script = made.script.as_mut().unwrap();
    script.source = script
        .source
        .replacen("local function attach(", "local function attach((", 1);
    let parser_errors = full_moon::parse_fallible(&script.source, full_moon::LuaVersion::luau())
        .into_result()
        .unwrap_err();
    let first = &parser_errors[0];
    let (start, _) = first.range();
    let expected = format!(
        "line {}, column {}: {}",
        start.line(),
        start.character(),
        first.error_message()
    );

    let review = review::review(&brief, &made.drafts());
    let found = findings(&review, "script-parses");
    assert_eq!(found.len(), 1, "{:#?}", review.findings);
    assert_eq!(found[0].0, AgentName::Script);
    assert!(
        found[0].1.contains(&expected),
        "{} lacks {expected}",
        found[0].1
    );
    assert_eq!(
        review.agents_to_redo().into_iter().collect::<Vec<_>>(),
        [AgentName::Script]
    );
}

/// A typed terrain cannot lack a field, so a terrain missing one is stopped where model
/// text becomes a terrain — by the same schema, with the same kind of message — and the
/// review's schema check catches what the types allow but the schema does not.
#[test]
fn a_terrain_missing_a_required_field_fails_the_schema() {
    let brief = brief(4, 2, 30, None);
    let made = offline(&brief);
    let mut value = serde_json::to_value(made.terrain.as_ref().unwrap()).unwrap();
    value["stations"][1]
        .as_object_mut()
        .unwrap()
        .remove("position");
    let error = outputs::parse(AgentName::Terrain, &value.to_string()).unwrap_err();
    assert!(
        matches!(error, outputs::OutputError::Schema { .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("at /stations/1: \"position\" is a required property"),
        "{error}"
    );

    let mut made = made;
    let terrain = made.terrain.as_mut().unwrap();
    terrain.stations[1].label = "   ".into();
    terrain.size.height = 2.0;
    let review = review::review(&brief, &made.drafts());
    let found = findings(&review, "terrain-schema");
    assert_eq!(found.len(), 2, "{:#?}", review.findings);
    assert!(found.iter().all(|(agent, _)| *agent == AgentName::Terrain));
    assert!(
        found
            .iter()
            .any(|(_, m)| m.starts_with("at /stations/1/label:"))
    );
    assert!(found.iter().any(|(_, m)| m.starts_with("at /size/height:")));
}

#[test]
fn an_email_or_phone_number_in_the_plan_is_a_privacy_finding_that_does_not_repeat_it() {
    let brief = brief(6, 2, 30, None);
    let mut made = offline(&brief);
    made.lesson.sections[0]
        .explanation
        .push_str(" Questions? Mail mr.jones@school.edu.");
    made.lesson.sections[1].activity.instructions = "Call +1 (555) 010-9999 to book.".into();
    let review = review::review(&brief, &made.drafts());
    let email = findings(&review, "privacy-email");
    let phone = findings(&review, "privacy-phone");
    assert_eq!(email.len(), 1, "{:#?}", review.findings);
    assert_eq!(phone.len(), 1, "{:#?}", review.findings);
    assert_eq!(email[0].0, AgentName::Content);
    assert!(
        email[0].1.contains("`sections[0].explanation`"),
        "{}",
        email[0].1
    );
    assert!(
        phone[0].1.contains("`sections[1].activity.instructions`"),
        "{}",
        phone[0].1
    );
    assert!(!email[0].1.contains("jones") && !phone[0].1.contains("555"));
}

#[test]
fn prose_far_above_the_grade_is_a_readability_finding() {
    let brief = brief(2, 2, 30, None);
    let mut made = offline(&brief);
    for section in &mut made.lesson.sections {
        section.explanation = "Gravitational interactions between macroscopic objects \
            necessitate consideration of acceleration, momentum conservation, and the \
            relativistic implications of electromagnetic phenomena. Consequently, \
            comprehensive understanding requires mathematical formalization."
            .into();
    }
    let review = review::review(&brief, &made.drafts());
    let found = findings(&review, "readability-grade");
    assert_eq!(found.len(), 1, "{:#?}", review.findings);
    assert_eq!(found[0].0, AgentName::Content);
    assert!(
        found[0].1.contains("grade 2 calls for at most 5"),
        "{}",
        found[0].1
    );
}

#[test]
fn a_plan_whose_minutes_miss_the_duration_is_sent_back_to_the_content_agent() {
    let brief = brief(9, 3, 60, None);
    let mut made = offline(&brief);
    made.lesson.sections[0].minutes += 10;
    let review = review::review(&brief, &made.drafts());
    assert_eq!(findings(&review, "plan-minutes-sum").len(), 1);
    assert_eq!(
        review.agents_to_redo().into_iter().collect::<Vec<_>>(),
        [AgentName::Content]
    );
}

#[test]
fn the_documented_terrain_example_is_a_valid_terrain() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/terrain.md"),
    )
    .expect("docs/terrain.md is readable");
    let example = doc
        .split("```json")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/terrain.md has a JSON example");
    let output = outputs::parse(AgentName::Terrain, example).unwrap_or_else(|e| panic!("{e}"));
    let AgentOutput::Terrain(terrain) = output else {
        panic!("not a terrain");
    };
    assert_eq!(terrain.zones.len(), 2);
    assert_eq!(terrain.stations.len(), 4);
}
