//! The offline provider's answers: they parse, pass the review, and never vary.

use domain::{AgentName, ContentPart};
use futures::executor::block_on;
use uuid::Uuid;

use super::*;
use crate::outputs::{self, AgentOutput, LessonPlan};
use crate::review::readability::{Band, Counts, measured_prose};
use crate::task::Brief;

fn brief(grade: u8, objectives: usize, minutes: u16, theme: Option<&str>) -> Brief {
    Brief {
        request_id: Uuid::nil(),
        lesson_id: Uuid::nil(),
        title: "Energy in Living Systems".into(),
        subject: "Life Science".into(),
        grade_level: grade,
        objectives: (0..objectives)
            .map(|i| format!("Describe how organisms obtain and transform energy, case {i}"))
            .collect(),
        duration_minutes: minutes,
        parts: ContentPart::ALL.to_vec(),
        theme: theme.map(str::to_owned),
    }
}

fn plan_for(brief: &Brief) -> LessonPlan {
    let text = Offline
        .answer(&Task::new(AgentName::Content, brief.clone()))
        .unwrap();
    match outputs::parse(AgentName::Content, &text).unwrap() {
        AgentOutput::Content(plan) => plan,
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_prose_of_every_grade_lands_in_its_reading_band_with_room_to_spare() {
    for grade in 0..=12 {
        for (objectives, minutes) in [(1, 5), (3, 45), (10, 180)] {
            let brief = brief(grade, objectives, minutes, Some("a coral reef"));
            let counts = Counts::of(&measured_prose(&brief, &plan_for(&brief)));
            let level = counts.grade().unwrap();
            let band = Band::for_grade(grade);
            assert!(
                level <= band.max - 1.0 && band.min.is_none_or(|min| level >= min + 1.0),
                "grade {grade}, {objectives} objectives, {minutes} min: {level:.2} vs {band}"
            );
        }
    }
}

#[test]
fn the_same_task_gets_the_same_answer_and_feedback_changes_nothing() {
    let brief = brief(7, 4, 60, None);
    let plan = plan_for(&brief);
    for agent in [
        AgentName::Content,
        AgentName::Quiz,
        AgentName::Terrain,
        AgentName::Script,
    ] {
        let mut task = Task::new(agent, brief.clone());
        task.lesson = (agent != AgentName::Content).then(|| plan.clone());
        let first = block_on(Offline.complete(&task)).unwrap();
        task.feedback = vec!["quiz-one-correct-option: `items[0]` has 2".into()];
        let again = block_on(Offline.complete(&task)).unwrap();
        assert_eq!(first, again);
        assert_eq!(
            (first.provider.as_str(), first.model.as_str()),
            ("offline", "templates-v1")
        );
    }
}

#[test]
fn the_plan_says_it_was_made_from_templates() {
    let plan = plan_for(&brief(3, 2, 30, None));
    assert_eq!(plan.generator.as_deref(), Some(GENERATOR));
}

#[test]
fn contact_details_in_the_brief_are_not_echoed() {
    let mut brief = brief(5, 2, 30, Some("call 555-123-4567"));
    brief.objectives[0] = "Email findings to ms.smith@school.org".into();
    let text = Offline
        .answer(&Task::new(AgentName::Content, brief))
        .unwrap();
    assert!(!text.contains("ms.smith@school.org"));
    assert!(!text.contains("555-123-4567"));
    assert!(text.contains("[contact removed]"));
}

#[test]
fn the_review_agent_is_refused() {
    let task = Task::new(AgentName::Review, brief(3, 1, 30, None));
    assert!(matches!(
        Offline.answer(&task),
        Err(ProviderError::Refused { status: 400, .. })
    ));
}
