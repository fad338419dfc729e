//! The canonical bytes of an event: what the hash chain hashes.
//!
//! An event's canonical bytes are the canonical JSON of the object
//!
//! ```text
//! {"event_id": "<uuid, lowercase, hyphenated>", "event_type": "<type>",
//!  "metadata": <metadata>, "payload": <payload>, "position": <position>,
//!  "recorded_at": "<RFC 3339, UTC, exactly 6 fraction digits, Z>",
//!  "schema_version": <schema version>, "stream_id": "<stream id>",
//!  "stream_version": <stream version>}
//! ```
//!
//! written with the JSON Canonicalization Scheme of RFC 8785 (JCS): no whitespace; object
//! members sorted by their names' UTF-16 code units; strings in UTF-8 with only `"`, `\`
//! and the control characters U+0000–U+001F escaped (`\b \t \n \f \r`, the others as
//! `\u00xx` in lowercase hex); `true`, `false`, `null`; floating-point numbers as ECMAScript
//! writes a double (`1.5`, `1e+21`, `0.000001`, `1e-7`; `-0` as `0`).
//!
//! **One deliberate difference from JCS:** a number that serde_json holds as an integer
//! (`i64`/`u64`) is written with all its digits. JCS would first round it to a double, so
//! a change to an integer above 2^53 (an id, a counter in nanoseconds) could go unnoticed.
//! For every integer within ±2^53 the two agree byte for byte.
//!
//! The form must be the same for a payload before it is written and for the same payload
//! read back from `jsonb`, which keeps no key order, writes numbers as exact decimals
//! (`1e20` comes back as `100000000000000000000`, `1.0` as `1.0`, `1e-7` as `0.0000001`)
//! and decodes `\u` escapes. It is: keys are sorted here; a double comes back as the same
//! double (serde_json's `float_roundtrip` parsing; PostgreSQL keeps the shortest digits
//! serde_json wrote); a double that comes back as an integer (`1e19`) has exactly the
//! digits ECMAScript would write for it; and strings are compared decoded. The
//! `jsonb_round_trip` test checks this against the real database.
//!
//! This module only formats; it must not read the database or hash (see `chain`).

use std::cmp::Ordering;
use std::io::Write as _;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Number, Value};
use uuid::Uuid;

/// The fields of an event the hash chain covers, borrowed from wherever the event is.
#[derive(Debug, Clone, Copy)]
pub struct EventFields<'a> {
    pub position: i64,
    pub event_id: Uuid,
    pub stream_id: &'a str,
    pub stream_version: i64,
    pub event_type: &'a str,
    pub schema_version: i32,
    pub payload: &'a Value,
    pub metadata: &'a Value,
    /// Hashed with microsecond precision (what PostgreSQL keeps); the appender truncates.
    pub recorded_at: DateTime<Utc>,
}

/// The canonical bytes of an event.
pub fn event_bytes(event: &EventFields<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    write_event(&mut out, event);
    out
}

/// Append the canonical bytes of an event to `out`.
pub fn write_event(out: &mut Vec<u8>, event: &EventFields<'_>) {
    // The members in JCS order (all names are ASCII, so byte order is UTF-16 order);
    // `event_fields_match_the_generic_form` checks this against `write_value`.
    out.extend_from_slice(b"{\"event_id\":\"");
    out.extend_from_slice(
        event
            .event_id
            .hyphenated()
            .encode_lower(&mut Uuid::encode_buffer())
            .as_bytes(),
    );
    out.extend_from_slice(b"\",\"event_type\":");
    write_str(out, event.event_type);
    out.extend_from_slice(b",\"metadata\":");
    write_value(out, event.metadata);
    out.extend_from_slice(b",\"payload\":");
    write_value(out, event.payload);
    out.extend_from_slice(b",\"position\":");
    write_int(out, event.position);
    out.extend_from_slice(b",\"recorded_at\":\"");
    out.extend_from_slice(
        event
            .recorded_at
            .to_rfc3339_opts(SecondsFormat::Micros, true)
            .as_bytes(),
    );
    out.extend_from_slice(b"\",\"schema_version\":");
    write_int(out, i64::from(event.schema_version));
    out.extend_from_slice(b",\"stream_id\":");
    write_str(out, event.stream_id);
    out.extend_from_slice(b",\"stream_version\":");
    write_int(out, event.stream_version);
    out.push(b'}');
}

/// The canonical JSON of a value (see the module documentation).
pub fn to_vec(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    write_value(&mut out, value);
    out
}

/// Append the canonical JSON of a value to `out`.
pub fn write_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => write_str(out, s),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(out, item);
            }
            out.push(b']');
        }
        Value::Object(map) => write_object(out, map),
    }
}

fn write_object(out: &mut Vec<u8>, map: &Map<String, Value>) {
    out.push(b'{');
    // serde_json's map iterates in UTF-8 byte order, which is UTF-16 order unless names
    // mix characters above U+E000 with ones above U+FFFF; sort only when it is not.
    let ordered = map
        .keys()
        .zip(map.keys().skip(1))
        .all(|(a, b)| utf16_cmp(a, b) == Ordering::Less);
    let mut first = true;
    let mut member = |out: &mut Vec<u8>, name: &str, value: &Value| {
        if !first {
            out.push(b',');
        }
        first = false;
        write_str(out, name);
        out.push(b':');
        write_value(out, value);
    };
    if ordered {
        for (name, value) in map {
            member(out, name, value);
        }
    } else {
        let mut members: Vec<_> = map.iter().collect();
        members.sort_by(|a, b| utf16_cmp(a.0, b.0));
        for (name, value) in members {
            member(out, name, value);
        }
    }
    out.push(b'}');
}

/// Compare two names by their UTF-16 code units (RFC 8785, 3.2.3).
fn utf16_cmp(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.as_bytes().cmp(b.as_bytes())
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

fn write_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let short: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x09 => b"\\t",
            0x0a => b"\\n",
            0x0c => b"\\f",
            0x0d => b"\\r",
            0x00..=0x1f => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xf)],
            ],
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(short);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

fn write_number(out: &mut Vec<u8>, n: &Number) {
    if let Some(i) = n.as_i64() {
        write_int(out, i);
    } else if let Some(u) = n.as_u64() {
        // Writing to a Vec cannot fail.
        let _ = write!(out, "{u}");
    } else if let Some(f) = n.as_f64() {
        write_f64(out, f);
    }
}

fn write_int(out: &mut Vec<u8>, i: i64) {
    let _ = write!(out, "{i}");
}

/// A double as ECMAScript's `Number.prototype.toString` writes it (ECMA-262, 7.1.12.1),
/// which is what RFC 8785 prescribes. Rust's shortest round-trip digits are the digits
/// ECMAScript picks (the fewest that round-trip, the closest to the value among those).
fn write_f64(out: &mut Vec<u8>, x: f64) {
    if x == 0.0 || !x.is_finite() {
        // -0 is written as 0; serde_json values hold no NaN or infinity.
        out.push(b'0');
        return;
    }
    if x < 0.0 {
        out.push(b'-');
    }
    // `{:e}` gives the fewest digits that round-trip (k of them). Among the k-digit
    // decimals that do, ECMAScript takes the closest to x, and of two equally close the
    // even one, which is x correctly rounded to k digits, ties to even: `{:.(k-1)e}`.
    let shortest = format!("{:e}", x.abs());
    let k = shortest.split_once('e').map_or(shortest.len(), |(m, _)| {
        m.bytes().filter(u8::is_ascii_digit).count()
    });
    let scientific = format!("{:.*e}", k.saturating_sub(1), x.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let digits: Vec<u8> = mantissa.bytes().filter(|b| *b != b'.').collect();
    let exponent: i32 = exponent.parse().unwrap_or(0);
    // ECMAScript's names: x = 0.d₁d₂…d_k × 10^n.
    let k = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    let n = exponent + 1;
    let zeros = |out: &mut Vec<u8>, count: i32| {
        out.extend(std::iter::repeat_n(
            b'0',
            usize::try_from(count).unwrap_or(0),
        ));
    };
    if k <= n && n <= 21 {
        out.extend_from_slice(&digits);
        zeros(out, n - k);
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(usize::try_from(n).unwrap_or(0));
        out.extend_from_slice(int);
        out.push(b'.');
        out.extend_from_slice(frac);
    } else if -6 < n && n <= 0 {
        out.extend_from_slice(b"0.");
        zeros(out, -n);
        out.extend_from_slice(&digits);
    } else {
        out.push(digits[0]);
        if k > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        let e = n - 1;
        let _ = write!(out, "e{}{}", if e < 0 { '-' } else { '+' }, e.abs());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn canonical(value: &Value) -> String {
        String::from_utf8(to_vec(value)).expect("canonical JSON is UTF-8")
    }

    fn f64_text(bits: u64) -> String {
        let mut out = Vec::new();
        write_f64(&mut out, f64::from_bits(bits));
        String::from_utf8(out).expect("ASCII")
    }

    /// RFC 8785, Appendix B: IEEE 754 doubles and their JCS form.
    #[test]
    fn numbers_as_rfc_8785_appendix_b() {
        let cases: &[(u64, &str)] = &[
            (0x0000000000000000, "0"),
            (0x8000000000000000, "0"),
            (0x0000000000000001, "5e-324"),
            (0x8000000000000001, "-5e-324"),
            (0x7fefffffffffffff, "1.7976931348623157e+308"),
            (0xffefffffffffffff, "-1.7976931348623157e+308"),
            (0x4340000000000000, "9007199254740992"),
            (0xc340000000000000, "-9007199254740992"),
            (0x4430000000000000, "295147905179352830000"),
            (0x44b52d02c7e14af5, "9.999999999999997e+22"),
            (0x44b52d02c7e14af6, "1e+23"),
            (0x44b52d02c7e14af7, "1.0000000000000001e+23"),
            (0x444b1ae4d6e2ef4e, "999999999999999700000"),
            (0x444b1ae4d6e2ef4f, "999999999999999900000"),
            (0x444b1ae4d6e2ef50, "1e+21"),
            (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"),
            (0x3eb0c6f7a0b5ed8d, "0.000001"),
            (0x41b3de4355555553, "333333333.3333332"),
            (0x41b3de4355555554, "333333333.33333325"),
            (0x41b3de4355555555, "333333333.3333333"),
            (0x41b3de4355555556, "333333333.3333334"),
            (0x41b3de4355555557, "333333333.33333343"),
            (0xbecbf647612f3696, "-0.0000033333333333333333"),
            (0x43143ff3c1cb0959, "1424953923781206.2"),
        ];
        for (bits, expected) in cases {
            assert_eq!(f64_text(*bits), *expected, "double {bits:#018x}");
        }
    }

    /// RFC 8785, 3.2.2.3 and the sorting example of 3.2.3.
    #[test]
    fn rfc_8785_examples() {
        let input: Value = serde_json::from_str(
            r#"{
                "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
                "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
                "literals": [null, true, false]
            }"#,
        )
        .expect("valid JSON");
        assert_eq!(
            canonical(&input),
            r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        );

        let sorting: Value = serde_json::from_str(
            r#"{
                "\u20ac": "Euro Sign",
                "\r": "Carriage Return",
                "\ufb33": "Hebrew Letter Dalet With Dagesh",
                "1": "One",
                "\ud83d\ude00": "Emoji: Grinning Face",
                "\u0080": "Control",
                "\u00f6": "Latin Small Letter O With Diaeresis"
            }"#,
        )
        .expect("valid JSON");
        let expected = [
            "Carriage Return",
            "One",
            "Control",
            "Latin Small Letter O With Diaeresis",
            "Euro Sign",
            "Emoji: Grinning Face",
            "Hebrew Letter Dalet With Dagesh",
        ];
        // The values appear in the canonical text in the RFC's order.
        let text = canonical(&sorting);
        let mut at = 0;
        for value in expected {
            let found = text[at..]
                .find(value)
                .unwrap_or_else(|| panic!("{value} out of order in {text}"));
            at += found + value.len();
        }
    }

    #[test]
    fn integers_keep_all_their_digits() {
        assert_eq!(
            canonical(&json!(9_007_199_254_740_993_u64)),
            "9007199254740993"
        );
        assert_eq!(canonical(&json!(u64::MAX)), "18446744073709551615");
        assert_eq!(canonical(&json!(i64::MIN)), "-9223372036854775808");
        assert_eq!(canonical(&json!(-0.0)), "0");
        assert_eq!(canonical(&json!(1.0)), "1");
        assert_eq!(canonical(&json!(1e20)), "100000000000000000000");
        assert_eq!(canonical(&json!(1e21)), "1e+21");
        assert_eq!(canonical(&json!(1e-7)), "1e-7");
        assert_eq!(canonical(&json!(-1.5e-7)), "-1.5e-7");
        assert_eq!(canonical(&json!(123.456)), "123.456");
    }

    #[test]
    fn strings_escape_only_what_jcs_escapes() {
        let s = "a\u{0}\u{1f}\u{7f}\u{2028}é😀\t\"\\/";
        assert_eq!(
            canonical(&json!(s)),
            "\"a\\u0000\\u001f\u{7f}\u{2028}é😀\\t\\\"\\\\/\""
        );
    }

    #[test]
    fn event_fields_match_the_generic_form() {
        let payload = json!({ "title": "Photosynthesis", "n": 1.5, "tags": ["a", "b"] });
        let metadata = json!({ "actor_role": "teacher" });
        let recorded_at = DateTime::parse_from_rfc3339("2026-11-22T10:00:00.123456Z")
            .expect("a time")
            .with_timezone(&Utc);
        let event_id = Uuid::now_v7();
        let fields = EventFields {
            position: 42,
            event_id,
            stream_id: "lesson-0192",
            stream_version: 3,
            event_type: "LessonRevised",
            schema_version: 2,
            payload: &payload,
            metadata: &metadata,
            recorded_at,
        };
        let generic = json!({
            "position": 42,
            "event_id": event_id.to_string(),
            "stream_id": "lesson-0192",
            "stream_version": 3,
            "event_type": "LessonRevised",
            "schema_version": 2,
            "payload": payload,
            "metadata": metadata,
            "recorded_at": "2026-11-22T10:00:00.123456Z",
        });
        assert_eq!(
            String::from_utf8(event_bytes(&fields)).expect("UTF-8"),
            canonical(&generic)
        );
    }
}
