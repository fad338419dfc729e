//! Checks of the lesson plan against the brief: it has sections with text, fits the
//! grade and the duration (sections' minutes add up to it, activities fit their
//! sections), and covers every objective. Reading level is [`super::readability`]'s.

use std::collections::BTreeSet;

use domain::AgentName;

use super::{Finding, blank};
use crate::outputs::LessonPlan;
use crate::task::Brief;

/// An explanation should be a few paragraphs; fewer words than this is a stub.
pub const MIN_EXPLANATION_WORDS: usize = 25;

pub(super) fn check(brief: &Brief, plan: &LessonPlan) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut find = |check, message: String| {
        findings.push(Finding::new(AgentName::Content, check, message));
    };
    if plan.sections.is_empty() {
        find("plan-sections", "the plan has no sections".into());
    }
    if plan.grade_level != brief.grade_level {
        find(
            "plan-grade-level",
            format!(
                "`grade_level` is {} but the request is for grade {}",
                plan.grade_level, brief.grade_level
            ),
        );
    }
    if plan.duration_minutes != brief.duration_minutes {
        find(
            "plan-duration",
            format!(
                "`duration_minutes` is {} but the lesson lasts {} minutes",
                plan.duration_minutes, brief.duration_minutes
            ),
        );
    }
    let total: u32 = plan.sections.iter().map(|s| u32::from(s.minutes)).sum();
    if !plan.sections.is_empty() && total != u32::from(brief.duration_minutes) {
        find(
            "plan-minutes-sum",
            format!(
                "the sections' minutes add up to {total}, not the lesson's {} minutes",
                brief.duration_minutes
            ),
        );
    }
    if blank(&plan.title) || blank(&plan.summary) {
        find(
            "plan-empty-text",
            "`title` and `summary` must not be empty".into(),
        );
    }
    let objectives = brief.objectives.len();
    let mut covered = BTreeSet::new();
    for (index, section) in plan.sections.iter().enumerate() {
        let at = format!("sections[{index}]");
        if section.minutes == 0 {
            find("plan-section-minutes", format!("`{at}.minutes` is 0"));
        }
        if section.activity.minutes > section.minutes {
            find(
                "plan-activity-minutes",
                format!(
                    "`{at}.activity.minutes` ({}) exceeds the section's {} minutes",
                    section.activity.minutes, section.minutes
                ),
            );
        }
        let empty_term = section
            .key_terms
            .iter()
            .any(|t| blank(&t.term) || blank(&t.definition));
        if blank(&section.heading)
            || blank(&section.activity.kind)
            || blank(&section.activity.instructions)
            || empty_term
        {
            find(
                "plan-empty-text",
                format!("`{at}` has an empty heading, activity or key term"),
            );
        }
        let words = section.explanation.split_whitespace().count();
        if words < MIN_EXPLANATION_WORDS {
            find(
                "plan-explanation-length",
                format!(
                    "`{at}.explanation` has {words} words; write a few paragraphs (at least \
                     {MIN_EXPLANATION_WORDS} words)"
                ),
            );
        }
        for &objective in &section.objectives {
            if objective < objectives {
                covered.insert(objective);
            } else {
                find(
                    "plan-objective-index",
                    format!(
                        "`{at}.objectives` names objective {objective}, but there are only \
                         {objectives} (indices 0 to {})",
                        objectives.saturating_sub(1)
                    ),
                );
            }
        }
    }
    let uncovered: Vec<String> = (0..objectives)
        .filter(|i| !covered.contains(i))
        .map(|i| i.to_string())
        .collect();
    if !uncovered.is_empty() {
        find(
            "plan-objectives-covered",
            format!(
                "no section covers objective(s) {} of the request",
                uncovered.join(", ")
            ),
        );
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::tests::{brief, plan};

    fn checks(brief: &Brief, plan: &LessonPlan) -> Vec<&'static str> {
        check(brief, plan).into_iter().map(|f| f.check).collect()
    }

    #[test]
    fn a_fitting_plan_has_no_findings() {
        assert_eq!(check(&brief(), &plan()), vec![]);
    }

    #[test]
    fn minutes_that_do_not_add_up_are_found() {
        let mut plan = plan();
        plan.sections[0].minutes += 1;
        let findings = check(&brief(), &plan);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].check, "plan-minutes-sum");
        assert_eq!(findings[0].agent, AgentName::Content);
        assert!(findings[0].message.contains("add up to 31"), "{findings:?}");
    }

    #[test]
    fn an_uncovered_objective_and_a_bad_index_are_found() {
        let mut plan = plan();
        plan.sections[1].objectives = vec![7];
        assert_eq!(
            checks(&brief(), &plan),
            ["plan-objective-index", "plan-objectives-covered"]
        );
    }

    #[test]
    fn no_sections_are_found() {
        let mut plan = plan();
        plan.sections.clear();
        assert_eq!(
            checks(&brief(), &plan),
            ["plan-sections", "plan-objectives-covered"]
        );
    }

    #[test]
    fn another_grade_or_duration_is_found() {
        let mut brief = brief();
        brief.grade_level += 1;
        assert_eq!(checks(&brief, &plan()), ["plan-grade-level"]);
        let mut plan = plan();
        plan.duration_minutes = 31;
        assert_eq!(
            checks(&super::super::tests::brief(), &plan),
            ["plan-duration"]
        );
    }

    #[test]
    fn an_activity_longer_than_its_section_and_a_stub_explanation_are_found() {
        let mut plan = plan();
        plan.sections[0].activity.minutes = 99;
        plan.sections[1].explanation = "Too short.".into();
        assert_eq!(
            checks(&brief(), &plan),
            ["plan-activity-minutes", "plan-explanation-length"]
        );
    }
}
