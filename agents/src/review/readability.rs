//! The readability check: the Flesch–Kincaid grade level of the plan's learner-facing
//! prose (summary, explanations, closing) must lie in a band around the request's grade.
//!
//! Grade = 0.39 × words per sentence + 11.8 × syllables per word − 15.59, with syllables
//! counted by a vowel-group heuristic for English. The band for grade `g` is
//! `[g − 3, max(g + 3, 4)]`, the lower bound applied only from grade 4 (for K–3 prose cannot
//! be too simple) and the upper bound floored at 4 because the formula is noisy for
//! beginners' text. The teacher's own words — the request's title, subject, theme and
//! objectives — are removed before measuring: agents quote them but did not choose them.
//! Text of fewer than [`MIN_WORDS`] words is not judged. This module measures only.

use domain::AgentName;

use super::{Finding, privacy};
use crate::outputs::LessonPlan;
use crate::task::Brief;

/// Below this many words the formula says little; shorter prose is not judged.
pub const MIN_WORDS: usize = 30;
/// Brief strings shorter than this are not removed (they would remove common words).
const MIN_REMOVED_CHARS: usize = 3;

/// The grades prose for a grade may read at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// `None`: no lower bound.
    pub min: Option<f64>,
    pub max: f64,
}

impl Band {
    pub fn for_grade(grade: u8) -> Self {
        let grade = f64::from(grade);
        Self {
            min: (grade >= 4.0).then_some(grade - 3.0),
            max: (grade + 3.0).max(4.0),
        }
    }

    pub fn contains(&self, level: f64) -> bool {
        level <= self.max && self.min.is_none_or(|min| level >= min)
    }
}

impl std::fmt::Display for Band {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.min {
            Some(min) => write!(f, "{min} to {}", self.max),
            None => write!(f, "at most {}", self.max),
        }
    }
}

/// Words, sentences and syllables of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
}

impl Counts {
    pub fn of(text: &str) -> Self {
        let mut counts = Self::default();
        for sentence in sentences(text) {
            let words: Vec<&str> = sentence
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .collect();
            if words.is_empty() {
                continue;
            }
            counts.sentences += 1;
            counts.words += words.len();
            counts.syllables += words.iter().map(|w| syllables(w)).sum::<usize>();
        }
        counts
    }

    /// The Flesch–Kincaid grade level; `None` without words.
    pub fn grade(&self) -> Option<f64> {
        if self.words == 0 {
            return None;
        }
        let words = self.words as f64;
        Some(
            0.39 * (words / self.sentences as f64) + 11.8 * (self.syllables as f64 / words) - 15.59,
        )
    }
}

/// The Flesch–Kincaid grade level of `text`; `None` without words.
pub fn flesch_kincaid_grade(text: &str) -> Option<f64> {
    Counts::of(text).grade()
}

/// The sentences of `text`: ended by `.`, `!`, `?` (a `.` between digits does not end
/// one) or a line break, so headings and list lines count as sentences.
fn sentences(text: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut sentences = Vec::new();
    let mut start = 0;
    for (i, &(at, c)) in chars.iter().enumerate() {
        let decimal_point = c == '.'
            && i > 0
            && chars[i - 1].1.is_ascii_digit()
            && chars
                .get(i + 1)
                .is_some_and(|(_, next)| next.is_ascii_digit());
        if matches!(c, '.' | '!' | '?' | '\n') && !decimal_point {
            sentences.push(&text[start..at]);
            start = at + c.len_utf8();
        }
    }
    sentences.push(&text[start..]);
    sentences
}

/// The syllables of an English word, by counting vowel groups with corrections for a
/// silent final `e`, `-ed` and `-es`. Numbers count a syllable per digit. At least 1.
pub fn syllables(word: &str) -> usize {
    let letters: Vec<char> = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    if letters.is_empty() {
        return word.chars().filter(char::is_ascii_digit).count().max(1);
    }
    if letters.len() <= 3 {
        return 1;
    }
    let vowel = |c: char| "aeiouyàáâäèéêëìíîïòóôöùúûü".contains(c);
    let mut count = 0;
    let mut previous_vowel = false;
    for &c in &letters {
        let is_vowel = vowel(c);
        if is_vowel && !previous_vowel {
            count += 1;
        }
        previous_vowel = is_vowel;
    }
    let n = letters.len();
    let (last, before, third) = (letters[n - 1], letters[n - 2], letters[n - 3]);
    let silent = match (third, before, last) {
        // "table", "little": the -le is its own syllable after a consonant.
        (t, 'l', 'e') if !vowel(t) => false,
        // "free", "agree"
        (_, 'e', 'e') => false,
        // "make", "whale"
        (_, _, 'e') => !vowel(before),
        // "jumped", "loved" but not "wanted", "needed"
        (_, 'e', 'd') => !matches!(third, 't' | 'd') && !vowel(third),
        // "makes", "hopes" but not "boxes", "wishes", "pages", "places"
        (_, 'e', 's') => !matches!(third, 's' | 'x' | 'z' | 'c' | 'g' | 'h') && !vowel(third),
        _ => false,
    };
    if silent && count > 1 {
        count -= 1;
    }
    count.max(1)
}

/// The plan's prose, as measured: without the teacher's own words.
pub fn measured_prose(brief: &Brief, plan: &LessonPlan) -> String {
    let mut quoted: Vec<String> = [&brief.title, &brief.subject]
        .into_iter()
        .chain(brief.theme.as_ref())
        .chain(&brief.objectives)
        .flat_map(|s| {
            [
                plain(s).to_lowercase(),
                plain(&privacy::redact(s)).to_lowercase(),
            ]
        })
        .filter(|s| s.chars().count() >= MIN_REMOVED_CHARS)
        .collect();
    quoted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    quoted.dedup();
    let mut prose = plan.prose().collect::<Vec<_>>().join("\n").to_lowercase();
    for phrase in &quoted {
        prose = without_phrase(&prose, phrase);
    }
    prose
}

/// `text` with whitespace runs made one space, control characters dropped, trimmed: the
/// form in which the teacher's words are recognised when quoted (agents should quote them
/// so).
pub fn plain(text: &str) -> String {
    text.split_whitespace()
        .map(|word| word.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` without the whole-word occurrences of `phrase`.
fn without_phrase(text: &str, phrase: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(phrase) {
        let end = at + phrase.len();
        let starts_word = !rest[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let ends_word = !rest[end..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric);
        if starts_word && ends_word {
            kept.push_str(&rest[..at]);
        } else {
            kept.push_str(&rest[..end]);
        }
        rest = &rest[end..];
    }
    kept.push_str(rest);
    kept
}

pub(super) fn check(brief: &Brief, plan: &LessonPlan) -> Vec<Finding> {
    let counts = Counts::of(&measured_prose(brief, plan));
    let band = Band::for_grade(brief.grade_level);
    match counts.grade() {
        Some(level) if counts.words >= MIN_WORDS && !band.contains(level) => {
            let advice = if level > band.max {
                "use shorter sentences and simpler, shorter words"
            } else {
                "use fuller sentences and the subject's real vocabulary"
            };
            vec![Finding::new(
                AgentName::Content,
                "readability-grade",
                format!(
                    "the summary and explanations read at grade {level:.1} (Flesch–Kincaid, \
                     {} words in {} sentences); grade {} calls for {band}: {advice}",
                    counts.words, counts.sentences, brief.grade_level
                ),
            )]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::tests::{brief, plan};

    #[test]
    fn syllables_follow_the_usual_patterns() {
        let cases = [
            ("cat", 1),
            ("make", 1),
            ("table", 2),
            ("little", 2),
            ("jumped", 1),
            ("wanted", 2),
            ("boxes", 2),
            ("hopes", 1),
            ("water", 2),
            ("beautiful", 3),
            ("photosynthesis", 5),
            ("interdependence", 5),
            ("free", 1),
            ("Plants,", 1),
            ("1969", 4),
        ];
        for (word, expected) in cases {
            assert_eq!(syllables(word), expected, "{word}");
        }
    }

    #[test]
    fn the_formula_matches_a_hand_count() {
        // 2 sentences, 10 words, 12 syllables: 0.39*5 + 11.8*1.2 - 15.59 = 0.52
        let counts = Counts::of("The cat sat on a mat. It was very happy!");
        assert_eq!(
            counts,
            Counts {
                words: 10,
                sentences: 2,
                syllables: 12
            }
        );
        assert!((counts.grade().unwrap() - 0.52).abs() < 1e-9);
        assert_eq!(flesch_kincaid_grade("  \n "), None);
    }

    #[test]
    fn decimals_do_not_end_sentences_and_line_breaks_do() {
        assert_eq!(Counts::of("It is 3.5 meters long").sentences, 1);
        assert_eq!(Counts::of("Heading\nA line of text").sentences, 2);
    }

    #[test]
    fn academic_prose_reads_far_above_simple_prose() {
        let simple = "We look at the sun. It is hot. It gives us light. Plants need it to grow.";
        let academic = "Photosynthetic organisms convert electromagnetic radiation into \
                        chemically stored energy through an intricate sequence of \
                        light-dependent and light-independent biochemical reactions.";
        let simple = flesch_kincaid_grade(simple).unwrap();
        let academic = flesch_kincaid_grade(academic).unwrap();
        assert!(simple < 3.0, "{simple}");
        assert!(academic > 16.0, "{academic}");
    }

    #[test]
    fn the_band_has_no_floor_before_grade_four_and_a_ceiling_of_at_least_four() {
        assert_eq!(
            Band::for_grade(0),
            Band {
                min: None,
                max: 4.0
            }
        );
        assert_eq!(
            Band::for_grade(3),
            Band {
                min: None,
                max: 6.0
            }
        );
        assert_eq!(
            Band::for_grade(4),
            Band {
                min: Some(1.0),
                max: 7.0
            }
        );
        assert_eq!(
            Band::for_grade(12),
            Band {
                min: Some(9.0),
                max: 15.0
            }
        );
        assert!(Band::for_grade(0).contains(-3.0));
        assert!(!Band::for_grade(12).contains(8.9));
    }

    #[test]
    fn the_teachers_words_are_not_measured() {
        let mut brief = brief();
        brief.objectives = vec!["Explain electromagnetic photosynthetic interdependence".into()];
        let text =
            "Our goal: explain electromagnetic photosynthetic interdependence. We start now.";
        let mut plan = plan();
        plan.summary = text.into();
        plan.sections.clear();
        plan.closing = None;
        assert_eq!(measured_prose(&brief, &plan), "our goal: . we start now.");
    }

    #[test]
    fn only_whole_words_are_removed() {
        assert_eq!(without_phrase("art and party art.", "art"), " and party .");
    }

    #[test]
    fn the_fixture_plan_is_in_band_and_far_harder_prose_is_found() {
        assert_eq!(check(&brief(), &plan()), vec![]);
        let mut plan = plan();
        for section in &mut plan.sections {
            section.explanation = "Comprehensive understanding necessitates \
                systematic investigation of interrelated environmental circumstances, \
                particularly regarding photosynthetic productivity and its consequences \
                for heterotrophic organisms inhabiting terrestrial ecosystems."
                .repeat(2);
        }
        let findings = check(&brief(), &plan);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].check, "readability-grade");
        assert!(
            findings[0].message.contains("use shorter sentences"),
            "{findings:?}"
        );
    }
}
