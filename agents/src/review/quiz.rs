//! Checks of the quiz against the brief: each item has a question, at least two distinct
//! options of which exactly one is correct, an explanation and an existing objective;
//! every objective is asked about.

use std::collections::{BTreeSet, HashSet};

use domain::AgentName;

use super::{Finding, blank};
use crate::outputs::Quiz;
use crate::task::Brief;

pub(super) fn check(brief: &Brief, quiz: &Quiz) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut find = |check, message: String| {
        findings.push(Finding::new(AgentName::Quiz, check, message));
    };
    if quiz.items.is_empty() {
        find("quiz-items", "the quiz has no items".into());
    }
    let objectives = brief.objectives.len();
    let mut asked = BTreeSet::new();
    for (index, item) in quiz.items.iter().enumerate() {
        let at = format!("items[{index}]");
        if blank(&item.question) {
            find("quiz-question", format!("`{at}.question` is empty"));
        }
        if item.options.len() < 2 {
            find(
                "quiz-option-count",
                format!(
                    "`{at}` has {} option(s); give at least two",
                    item.options.len()
                ),
            );
        }
        let correct = item.options.iter().filter(|o| o.correct).count();
        if correct != 1 {
            find(
                "quiz-one-correct-option",
                format!("`{at}` has {correct} correct options; exactly one must be correct"),
            );
        }
        let mut seen = HashSet::new();
        let duplicates: Vec<String> = item
            .options
            .iter()
            .enumerate()
            .filter(|(_, o)| !seen.insert(normalized(&o.text)))
            .map(|(i, _)| format!("options[{i}]"))
            .collect();
        if !duplicates.is_empty() {
            find(
                "quiz-distinct-options",
                format!(
                    "`{at}` repeats an earlier option in {} (compared ignoring case and spacing)",
                    duplicates.join(", ")
                ),
            );
        }
        if item.options.iter().any(|o| blank(&o.text)) {
            find(
                "quiz-distinct-options",
                format!("`{at}` has an empty option"),
            );
        }
        if blank(&item.explanation) {
            find(
                "quiz-explanation",
                format!("`{at}.explanation` is empty; say why the correct option is correct"),
            );
        }
        if item.objective < objectives {
            asked.insert(item.objective);
        } else {
            find(
                "quiz-objective-index",
                format!(
                    "`{at}.objective` is {}, but there are only {objectives} objectives \
                     (indices 0 to {})",
                    item.objective,
                    objectives.saturating_sub(1)
                ),
            );
        }
    }
    let unasked: Vec<String> = (0..objectives)
        .filter(|i| !asked.contains(i))
        .map(|i| i.to_string())
        .collect();
    if !unasked.is_empty() {
        find(
            "quiz-objectives-covered",
            format!(
                "no item asks about objective(s) {}; add an item for each",
                unasked.join(", ")
            ),
        );
    }
    findings
}

/// `text` lowercased with runs of whitespace made one space, for comparing options.
fn normalized(text: &str) -> String {
    text.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outputs::QuizOption;
    use crate::review::tests::{brief, quiz};

    fn checks(quiz: &Quiz) -> Vec<&'static str> {
        check(&brief(), quiz).into_iter().map(|f| f.check).collect()
    }

    #[test]
    fn a_sound_quiz_has_no_findings() {
        assert_eq!(check(&brief(), &quiz()), vec![]);
    }

    #[test]
    fn two_correct_options_are_found() {
        let mut quiz = quiz();
        quiz.items[1].options[2].correct = true;
        let findings = check(&brief(), &quiz);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].check, "quiz-one-correct-option");
        assert_eq!(findings[0].agent, AgentName::Quiz);
        assert!(findings[0].message.starts_with("`items[1]` has 2 correct"));
    }

    #[test]
    fn no_correct_option_is_found() {
        let mut quiz = quiz();
        for option in &mut quiz.items[0].options {
            option.correct = false;
        }
        assert_eq!(checks(&quiz), ["quiz-one-correct-option"]);
    }

    #[test]
    fn options_differing_only_in_case_and_spacing_are_duplicates() {
        let mut quiz = quiz();
        let text = quiz.items[0].options[0].text.to_uppercase();
        quiz.items[0].options.push(QuizOption {
            text: format!("  {}  ", text.replace(' ', "   ")),
            correct: false,
        });
        let findings = check(&brief(), &quiz);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].check, "quiz-distinct-options");
        assert!(findings[0].message.contains("options[3]"));
    }

    #[test]
    fn a_missing_explanation_a_bad_objective_and_an_unasked_objective_are_found() {
        let mut quiz = quiz();
        quiz.items[0].explanation = " ".into();
        quiz.items[1].objective = 5;
        assert_eq!(
            checks(&quiz),
            [
                "quiz-explanation",
                "quiz-objective-index",
                "quiz-objectives-covered"
            ]
        );
    }

    #[test]
    fn a_single_option_and_an_empty_quiz_are_found() {
        let mut quiz = quiz();
        quiz.items[0].options.truncate(1);
        assert_eq!(checks(&quiz), ["quiz-option-count"]);
        quiz.items.clear();
        assert_eq!(checks(&quiz), ["quiz-items", "quiz-objectives-covered"]);
    }
}
