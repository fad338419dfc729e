//! The offline quiz agent: multiple-choice items on the key terms the lesson plan
//! teaches — what a term means, or which term a definition names — one per objective
//! (two for lessons of 45 minutes or more), each tied to the goal whose section taught
//! the term. Distractors are the other terms and definitions; options never repeat.

use super::styles;
use super::text::{clean, seed};
use crate::outputs::{LessonPlan, Quiz, QuizItem, QuizOption};
use crate::task::Brief;

const OPTIONS: usize = 4;
const LONG_LESSON_MINUTES: u16 = 45;

/// A key term as the quiz uses it, with the objective it belongs to.
struct Term {
    term: String,
    definition: String,
    objective: usize,
}

pub fn quiz(brief: &Brief, plan: &LessonPlan) -> Quiz {
    let objectives = brief.objectives.len().max(1);
    let terms = terms(brief, plan, objectives);
    let seed = seed([plan.title.as_str(), brief.subject.as_str()]);
    let rounds = if brief.duration_minutes >= LONG_LESSON_MINUTES {
        2
    } else {
        1
    };
    let items = (0..rounds)
        .flat_map(|round| (0..objectives).map(move |objective| (round, objective)))
        .map(|(round, objective)| {
            let index = round * objectives + objective;
            let term = term_for(&terms, objective, round);
            let position = (seed as usize).wrapping_add(index) % OPTIONS;
            match index % 2 {
                0 => meaning_item(&terms, term, objective, position),
                _ => naming_item(&terms, term, objective, position),
            }
        })
        .collect();
    Quiz { items }
}

/// The plan's key terms, each once, then the band's glossary as spare distractors, each
/// term owned by the first objective of the first section teaching it.
fn terms(brief: &Brief, plan: &LessonPlan, objectives: usize) -> Vec<Term> {
    let mut terms: Vec<Term> = Vec::new();
    let taught = plan.sections.iter().flat_map(|section| {
        let objective = section
            .objectives
            .iter()
            .copied()
            .find(|&o| o < objectives)
            .unwrap_or(0);
        section
            .key_terms
            .iter()
            .map(move |k| (clean(&k.term), clean(&k.definition), objective))
    });
    let spare = styles::for_grade(brief.grade_level)
        .glossary
        .iter()
        .map(|(term, definition)| ((*term).to_owned(), (*definition).to_owned(), usize::MAX));
    for (term, definition, objective) in taught.chain(spare) {
        let fresh = !term.is_empty()
            && !definition.is_empty()
            && terms
                .iter()
                .all(|t| !same(&t.term, &term) && !same(&t.definition, &definition));
        if fresh {
            terms.push(Term {
                term,
                definition,
                objective,
            });
        }
    }
    terms
}

/// The term to ask about for `objective`: one taught for it, else any, cycling by round.
fn term_for(terms: &[Term], objective: usize, round: usize) -> &Term {
    let own: Vec<&Term> = terms.iter().filter(|t| t.objective == objective).collect();
    if own.is_empty() {
        &terms[(objective + round) % terms.len()]
    } else {
        own[round % own.len()]
    }
}

/// "What does X mean?", answered by its definition.
fn meaning_item(terms: &[Term], term: &Term, objective: usize, position: usize) -> QuizItem {
    let others = terms
        .iter()
        .filter(|t| !same(&t.term, &term.term))
        .map(|t| t.definition.clone());
    QuizItem {
        question: format!("In this lesson, what does \"{}\" mean?", term.term),
        options: options(term.definition.clone(), others, position),
        explanation: format!("\"{}\" means: {}", term.term, term.definition),
        objective,
    }
}

/// "Which word means …?", answered by the term.
fn naming_item(terms: &[Term], term: &Term, objective: usize, position: usize) -> QuizItem {
    let others = terms
        .iter()
        .filter(|t| !same(&t.term, &term.term))
        .map(|t| t.term.clone());
    QuizItem {
        question: format!("Which word from the lesson means: {}", term.definition),
        options: options(term.term.clone(), others, position),
        explanation: format!(
            "The lesson used \"{}\" for this: {}",
            term.term, term.definition
        ),
        objective,
    }
}

/// Up to [`OPTIONS`] options: `correct` at `position` (or last, when fewer), distractors
/// from `others` that differ from it and from each other.
fn options(
    correct: String,
    others: impl Iterator<Item = String>,
    position: usize,
) -> Vec<QuizOption> {
    let mut distractors: Vec<String> = Vec::new();
    for other in others {
        if distractors.len() == OPTIONS - 1 {
            break;
        }
        if !same(&other, &correct) && distractors.iter().all(|d| !same(d, &other)) {
            distractors.push(other);
        }
    }
    let mut options: Vec<QuizOption> = distractors
        .into_iter()
        .map(|text| QuizOption {
            text,
            correct: false,
        })
        .collect();
    let at = position.min(options.len());
    options.insert(
        at,
        QuizOption {
            text: correct,
            correct: true,
        },
    );
    options
}

/// Equal ignoring case and spacing, as the review compares options.
fn same(a: &str, b: &str) -> bool {
    let words = |s: &str| {
        s.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    words(a) == words(b)
}
