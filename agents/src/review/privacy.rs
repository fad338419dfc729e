//! The privacy check: no email address or phone number anywhere in any output (every
//! string of the plan, quiz, terrain and script, the script's source included). Findings
//! say where, never what: the match itself would otherwise be recorded in the log.
//!
//! Phone numbers are recognised in their common written forms: `555-123-4567`,
//! `(555) 123 4567`, `+1 555 123 4567`, `+44 20 7946 0958` (a `+` and at least eight
//! digits in groups). Bare digit runs and 7-digit local numbers are not, as they are
//! indistinguishable from quantities, years and ranges in lesson prose.

use std::borrow::Cow;
use std::sync::LazyLock;

use domain::AgentName;
use regex::Regex;
use serde::Serialize;
use serde_json::Value;

use super::{Drafts, Finding};

/// What [`redact`] puts in place of contact details.
pub const REDACTED: &str = "[contact removed]";
/// At most this many places are listed per finding.
const MAX_PLACES: usize = 5;

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")
        .expect("the email pattern compiles")
});

static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        // 555-123-4567, (555) 123-4567, 555.123.4567, +1 555 123 4567
        r"(?:\+\d{1,3}[ .-]?)?(?:\(\d{3}\) ?|\b\d{3}[ .-])\d{3}[ .-]\d{4}\b",
        // +44 20 7946 0958, +49-30-1234567
        r"|\+\d{1,3}(?:[ .-]\(?\d{1,8}\)?){2,5}\b",
    ))
    .expect("the phone pattern compiles")
});

/// Fewer digits than this after a `+` is arithmetic, not a phone number.
const MIN_PHONE_DIGITS: usize = 8;

pub fn contains_email(text: &str) -> bool {
    EMAIL.is_match(text)
}

pub fn contains_phone(text: &str) -> bool {
    phones(text).next().is_some()
}

/// `text` with every email address and phone number replaced by [`REDACTED`].
pub fn redact(text: &str) -> Cow<'_, str> {
    let without_emails = EMAIL.replace_all(text, REDACTED);
    let mut spans: Vec<(usize, usize)> = phones(&without_emails).collect();
    if spans.is_empty() {
        return without_emails;
    }
    let mut redacted = without_emails.into_owned();
    spans.reverse();
    for (start, end) in spans {
        redacted.replace_range(start..end, REDACTED);
    }
    Cow::Owned(redacted)
}

/// The byte spans of the phone numbers in `text`.
fn phones(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    PHONE
        .find_iter(text)
        .filter(|m| m.as_str().chars().filter(char::is_ascii_digit).count() >= MIN_PHONE_DIGITS)
        .map(|m| (m.start(), m.end()))
}

pub(super) fn check(drafts: &Drafts<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    findings.extend(check_output(AgentName::Content, drafts.lesson));
    if let Some(quiz) = drafts.quiz {
        findings.extend(check_output(AgentName::Quiz, quiz));
    }
    if let Some(terrain) = drafts.terrain {
        findings.extend(check_output(AgentName::Terrain, terrain));
    }
    if let Some(script) = drafts.script {
        findings.extend(check_output(AgentName::Script, script));
    }
    findings
}

fn check_output(agent: AgentName, output: &impl Serialize) -> Vec<Finding> {
    let value = serde_json::to_value(output).expect("outputs serialize");
    let mut strings = Vec::new();
    collect_strings(&value, String::new(), &mut strings);
    let mut findings = Vec::new();
    let kinds: [(&'static str, &str, Detector); 2] = [
        ("privacy-email", "an email address", first_email),
        ("privacy-phone", "a phone number", first_phone),
    ];
    for (check, what, first_at) in kinds {
        let places: Vec<String> = strings
            .iter()
            .filter_map(|(path, text)| first_at(text).map(|at| place(path, text, at)))
            .collect();
        if !places.is_empty() {
            let more = places.len().saturating_sub(MAX_PLACES);
            let mut listed = places
                .into_iter()
                .take(MAX_PLACES)
                .collect::<Vec<_>>()
                .join(", ");
            if more > 0 {
                listed.push_str(&format!(" and {more} more"));
            }
            findings.push(Finding::new(
                agent,
                check,
                format!("{what} appears in {listed}; remove all personal contact details"),
            ));
        }
    }
    findings
}

/// Where the first match in a text starts.
type Detector = fn(&str) -> Option<usize>;

fn first_email(text: &str) -> Option<usize> {
    EMAIL.find(text).map(|m| m.start())
}

fn first_phone(text: &str) -> Option<usize> {
    phones(text).next().map(|(start, _)| start)
}

/// `path`, with the line of byte `at` when `text` has several lines.
fn place(path: &str, text: &str, at: usize) -> String {
    if text.contains('\n') {
        let line = text[..at].matches('\n').count() + 1;
        format!("`{path}` (line {line})")
    } else {
        format!("`{path}`")
    }
}

/// Every string in `value` with its path, e.g. `sections[1].explanation`.
fn collect_strings<'v>(value: &'v Value, path: String, into: &mut Vec<(String, &'v str)>) {
    match value {
        Value::String(text) => into.push((path, text)),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                collect_strings(item, format!("{path}[{index}]"), into);
            }
        }
        Value::Object(fields) => {
            for (key, field) in fields {
                let path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                collect_strings(field, path, into);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses_are_recognised() {
        for text in [
            "write to ms.smith@school.org today",
            "A.B+tag@mail.example.co.uk",
        ] {
            assert!(contains_email(text), "{text}");
        }
        for text in ["@handle", "x@y", "a @ b . com", "user@localhost"] {
            assert!(!contains_email(text), "{text}");
        }
    }

    #[test]
    fn phone_numbers_in_common_forms_are_recognised() {
        for text in [
            "call 555-123-4567",
            "call (555) 123-4567",
            "call 555.123.4567 now",
            "+1 555 123 4567",
            "+44 20 7946 0958",
            "+49-30-1234567",
        ] {
            assert!(contains_phone(text), "{text}");
        }
    }

    #[test]
    fn quantities_years_and_arithmetic_are_not_phone_numbers() {
        for text in [
            "It took 45 minutes in 1969.",
            "Count from 100 to 1000.",
            "Pages 120-135, years 1990-2000.",
            "x + 12 = 20 and 3+4 = 7",
            "+5 10 15",
            "The area is 3.14159 square units; 2024-05-06.",
            "Vector3.new(120, 4, -300)",
        ] {
            assert!(!contains_phone(text), "{text}");
        }
    }

    #[test]
    fn redacting_removes_every_contact_detail_and_keeps_the_rest() {
        let text = "Ask me at ms.smith@school.org or 555-123-4567, or +44 20 7946 0958.";
        assert_eq!(
            redact(text),
            "Ask me at [contact removed] or [contact removed], or [contact removed]."
        );
        assert!(matches!(
            redact("plain words"),
            Cow::Borrowed("plain words")
        ));
    }

    #[test]
    fn findings_give_the_place_and_not_the_match() {
        let value = serde_json::json!({
            "source": "local a = 1\nlocal b = \"555-123-4567\"",
            "stations": ["s1_info"]
        });
        let findings = check_output(AgentName::Script, &value);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].check, "privacy-phone");
        assert_eq!(
            findings[0].message,
            "a phone number appears in `source` (line 2); remove all personal contact details"
        );
    }
}
