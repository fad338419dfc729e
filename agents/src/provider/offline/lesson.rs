//! The offline content agent: a lesson plan from the brief alone. Sections follow the
//! objectives (at least one section per 45 minutes, none shorter than 5 minutes, at most
//! ten), minutes are shared out exactly, and the prose comes from the grade band's style.
//! It frames the teacher's goals; it does not know the subject, and says so.

use super::GENERATOR;
use super::styles::{self, Style};
use super::text::{clean, counted, fill, pick, seed, shorten};
use crate::outputs::{Activity, KeyTerm, LessonPlan, Section};
use crate::task::Brief;

const MAX_SECTIONS: usize = 10;
const MIN_SECTION_MINUTES: u16 = 5;
const MINUTES_PER_SECTION_AT_MOST: u16 = 45;
const HEADING_GOAL_CHARS: usize = 60;
/// Headings of further sections on the same goal, when there are more sections than goals.
const PHASES: [&str; 4] = ["Explore", "Practice", "Apply", "Review"];

pub fn plan(brief: &Brief) -> LessonPlan {
    let style = styles::for_grade(brief.grade_level);
    let goals = goals(brief);
    let seed = seed(
        [brief.title.as_str(), brief.subject.as_str()]
            .into_iter()
            .chain(brief.objectives.iter().map(String::as_str)),
    );
    let count = section_count(brief.duration_minutes, goals.len());
    let minutes = shares(brief.duration_minutes, count);
    let sections = (0..count)
        .map(|index| section(style, &goals, seed, index, count, minutes[index]))
        .collect();
    LessonPlan {
        title: clean(&brief.title),
        summary: summary(style, brief, goals.len(), count, seed),
        grade_level: brief.grade_level,
        duration_minutes: brief.duration_minutes,
        sections,
        closing: Some(pick::<&str>(style.closing, seed, 0).to_string()),
        generator: Some(GENERATOR.to_owned()),
    }
}

/// The objectives as echoed; the subject when there are none.
fn goals(brief: &Brief) -> Vec<String> {
    let goals: Vec<String> = brief
        .objectives
        .iter()
        .map(|o| clean(o))
        .filter(|o| !o.is_empty())
        .collect();
    if goals.is_empty() {
        vec![clean(&brief.subject)]
    } else {
        goals
    }
}

fn section_count(duration: u16, goals: usize) -> usize {
    let by_length = usize::from(duration.div_ceil(MINUTES_PER_SECTION_AT_MOST));
    let most = usize::from((duration / MIN_SECTION_MINUTES).max(1));
    goals.max(by_length).min(most).clamp(1, MAX_SECTIONS)
}

/// `total` minutes in `count` shares that differ by at most one, larger ones first.
fn shares(total: u16, count: usize) -> Vec<u16> {
    let count_u16 = u16::try_from(count).expect("at most ten sections");
    let (base, rest) = (total / count_u16, usize::from(total % count_u16));
    (0..count).map(|i| base + u16::from(i < rest)).collect()
}

/// The goals section `index` of `count` covers: every `count`-th goal when there are more
/// goals than sections, else one goal, cycling.
fn covered(goals: usize, index: usize, count: usize) -> Vec<usize> {
    if count >= goals {
        vec![index % goals]
    } else {
        (index..goals).step_by(count).collect()
    }
}

fn section(
    style: &Style,
    goals: &[String],
    seed: u64,
    index: usize,
    count: usize,
    minutes: u16,
) -> Section {
    let objectives = covered(goals.len(), index, count);
    let first = objectives[0];
    let heading_goal = shorten(&goals[first], HEADING_GOAL_CHARS);
    let heading = if count <= goals.len() {
        format!("Part {}: {heading_goal}", index + 1)
    } else {
        format!(
            "{}: {heading_goal}",
            PHASES[(index / goals.len()) % PHASES.len()]
        )
    };
    let activity = pick(style.activities, seed, index);
    let terms = [
        style.glossary[(2 * index) % style.glossary.len()],
        style.glossary[(2 * index + 1) % style.glossary.len()],
    ];
    let quoted: Vec<&str> = objectives.iter().map(|&i| goals[i].as_str()).collect();
    let values = [
        ("goals", quoted.join("; ")),
        ("activity", activity.phrase.to_owned()),
        ("term1", terms[0].0.to_owned()),
        ("term2", terms[1].0.to_owned()),
    ];
    let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let explanation = [style.opening, style.practice, style.terms]
        .iter()
        .enumerate()
        .map(|(paragraph, templates)| {
            fill(pick::<&str>(templates, seed, index + paragraph), &values)
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    Section {
        heading,
        explanation,
        key_terms: terms
            .iter()
            .map(|(term, definition)| KeyTerm {
                term: (*term).to_owned(),
                definition: (*definition).to_owned(),
            })
            .collect(),
        activity: Activity {
            kind: activity.kind.to_owned(),
            instructions: fill(activity.instructions, &[("goal", &goals[first])]),
            minutes: (minutes * 2 / 5).max(1),
        },
        minutes,
        objectives,
    }
}

fn summary(style: &Style, brief: &Brief, goals: usize, sections: usize, seed: u64) -> String {
    let goal_count = counted(
        goals,
        if style.band == "K-2" {
            "goal"
        } else {
            "objective"
        },
    );
    let values = [
        ("subject", clean(&brief.subject)),
        ("title", clean(&brief.title)),
        ("goal_count", goal_count),
        ("section_count", counted(sections, "section")),
    ];
    let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut summary = fill(pick::<&str>(style.summary, seed, 0), &values);
    if let Some(theme) = brief.theme.as_deref().map(clean).filter(|t| !t.is_empty()) {
        summary.push(' ');
        summary.push_str(&fill(style.theme, &[("theme", &theme)]));
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_follow_goals_and_length() {
        assert_eq!(section_count(5, 10), 1);
        assert_eq!(section_count(45, 10), 9);
        assert_eq!(section_count(45, 1), 1);
        assert_eq!(section_count(180, 1), 4);
        assert_eq!(section_count(180, 10), 10);
        assert_eq!(section_count(12, 3), 2);
    }

    #[test]
    fn minutes_are_shared_out_exactly() {
        for total in 5..=180 {
            for count in 1..=10 {
                let parts = shares(total, count);
                assert_eq!(parts.iter().sum::<u16>(), total);
                assert!(parts.iter().max().unwrap() - parts.iter().min().unwrap() <= 1);
            }
        }
    }

    #[test]
    fn every_goal_is_covered_exactly_once_when_goals_outnumber_sections() {
        let mut all: Vec<usize> = (0..3).flat_map(|s| covered(10, s, 3)).collect();
        all.sort_unstable();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        assert_eq!(covered(2, 3, 4), vec![1]);
    }
}
