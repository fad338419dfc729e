//! Small text helpers of the offline templates: cleaning the teacher's words before they
//! are echoed (contact details removed, whitespace made single spaces), shortening, number
//! words, and a stable seed for choosing template variants.

use crate::review::{privacy, readability};

/// `text` as the templates echo it: contact details redacted, control characters dropped,
/// whitespace runs made one space, trimmed — the form the review recognises as quoted.
pub fn clean(text: &str) -> String {
    readability::plain(&privacy::redact(text))
}

/// `text` cut to at most `max` characters, at a word boundary when there is one, with an
/// ellipsis when cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > cut.len() / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end())
}

/// `n` in words for 0–10, digits beyond.
pub fn number_word(n: usize) -> String {
    const WORDS: [&str; 11] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_owned())
}

/// `count` and `noun`, pluralized with an `s` unless `count` is 1.
pub fn counted(count: usize, noun: &str) -> String {
    let s = if count == 1 { "" } else { "s" };
    format!("{} {noun}{s}", number_word(count))
}

/// A stable 64-bit FNV-1a hash of `parts`: the same brief always picks the same variants.
pub fn seed<'a>(parts: impl IntoIterator<Item = &'a str>) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// The item of `items` that `seed` and `offset` pick.
pub fn pick<T>(items: &[T], seed: u64, offset: usize) -> &T {
    let index = (seed as usize).wrapping_add(offset) % items.len();
    &items[index]
}

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_redacts_contacts_and_flattens_whitespace() {
        assert_eq!(
            clean("  Ask\tme at a@b.org\n or 555-123-4567 \u{7}now "),
            "Ask me at [contact removed] or [contact removed] now"
        );
    }

    #[test]
    fn shortening_cuts_at_a_word_and_marks_the_cut() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("one two three four", 12), "one two…");
        assert_eq!(shorten("abcdefghijklmnop", 6), "abcde…");
        assert!(shorten(&"é".repeat(200), 120).chars().count() <= 120);
    }

    #[test]
    fn numbers_and_counts_read_as_words() {
        assert_eq!(counted(1, "goal"), "one goal");
        assert_eq!(counted(10, "goal"), "ten goals");
        assert_eq!(number_word(12), "12");
    }

    #[test]
    fn seeds_are_stable_and_sensitive_to_every_part() {
        assert_eq!(seed(["a", "b"]), seed(["a", "b"]));
        assert_ne!(seed(["a", "b"]), seed(["ab"]));
        assert_ne!(seed(["a", "b"]), seed(["a", "c"]));
    }

    #[test]
    fn filling_replaces_every_placeholder() {
        assert_eq!(
            fill("{a} and {a} {b}", &[("a", "x"), ("b", "y")]),
            "x and x y"
        );
    }
}
