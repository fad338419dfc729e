//! Numbers, UUIDs and timestamps as text, written straight into a buffer: the encoder runs
//! once per relayed event, and `core::fmt` (what `to_string` and chrono's serializer use)
//! was a large part of its cost.

use chrono::{DateTime, Datelike, SecondsFormat, Timelike, Utc};
use uuid::Uuid;

/// `n` in decimal.
pub(crate) fn push_int(buf: &mut Vec<u8>, n: i64) {
    if n < 0 {
        buf.push(b'-');
    }
    push_uint(buf, n.unsigned_abs());
}

/// `n` in decimal.
pub(crate) fn push_uint(buf: &mut Vec<u8>, n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        // `rest % 10` is a single digit.
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[at..]);
}

/// `n` in decimal, as a string of its own (a header value).
pub(crate) fn int(n: i64) -> String {
    let mut buf = Vec::with_capacity(20);
    push_int(&mut buf, n);
    ascii(buf)
}

/// `n` in decimal, as a string of its own (a header value).
pub(crate) fn uint(n: u64) -> String {
    let mut buf = Vec::with_capacity(20);
    push_uint(&mut buf, n);
    ascii(buf)
}

/// The hyphenated lowercase form, as `Uuid`'s `Display` and serde write it.
pub(crate) fn push_uuid(buf: &mut Vec<u8>, id: &Uuid) {
    let mut text = Uuid::encode_buffer();
    buf.extend_from_slice(id.hyphenated().encode_lower(&mut text).as_bytes());
}

/// The hyphenated lowercase form as a string of its own.
pub(crate) fn uuid(id: &Uuid) -> String {
    let mut text = Uuid::encode_buffer();
    id.hyphenated().encode_lower(&mut text).to_owned()
}

/// RFC 3339 exactly as chrono's serde writes a `DateTime<Utc>`: `Z`, and as many fraction
/// digits as needed out of 0, 3, 6 or 9.
pub(crate) fn push_timestamp(buf: &mut Vec<u8>, at: &DateTime<Utc>) {
    let year = at.year();
    if !(0..=9999).contains(&year) {
        // A signed, wider year: rare enough for chrono's own formatter.
        let text = at.to_rfc3339_opts(SecondsFormat::AutoSi, true);
        buf.extend_from_slice(text.as_bytes());
        return;
    }
    let (mut second, mut nano) = (at.second(), at.nanosecond());
    if nano >= 1_000_000_000 {
        // A leap second: chrono writes it as second 60.
        second += 1;
        nano -= 1_000_000_000;
    }
    // `year` is in 0..=9999, so the cast keeps it.
    let year = year as u32;
    push_two(buf, year / 100);
    push_two(buf, year % 100);
    for (separator, value) in [
        (b'-', at.month()),
        (b'-', at.day()),
        (b'T', at.hour()),
        (b':', at.minute()),
        (b':', second),
    ] {
        buf.push(separator);
        push_two(buf, value);
    }
    let digits = match nano {
        0 => 0,
        n if n % 1_000_000 == 0 => 3,
        n if n % 1_000 == 0 => 6,
        _ => 9,
    };
    if digits > 0 {
        buf.push(b'.');
        let mut fraction = [0u8; 9];
        let mut rest = nano;
        for digit in fraction.iter_mut().rev() {
            // `rest % 10` is a single digit.
            *digit = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        buf.extend_from_slice(&fraction[..digits]);
    }
    buf.push(b'Z');
}

/// Two decimal digits of `n` (`n < 100`).
fn push_two(buf: &mut Vec<u8>, n: u32) {
    // Both are single digits.
    buf.extend_from_slice(&[b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8]);
}

/// Bytes this module wrote: ASCII digits and signs only.
fn ascii(buf: Vec<u8>) -> String {
    String::from_utf8(buf).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn integers_read_as_to_string_writes_them() {
        for n in [0, 1, -1, 9, 10, 42, -42, 1_000_000, i64::MAX, i64::MIN] {
            assert_eq!(int(n), n.to_string());
        }
        for n in [0, 7, 10, 99, 100, u64::MAX] {
            assert_eq!(uint(n), n.to_string());
        }
    }

    #[test]
    fn uuids_read_as_display_writes_them() {
        let id = Uuid::now_v7();
        let mut buf = Vec::new();
        push_uuid(&mut buf, &id);
        assert_eq!(buf, id.to_string().into_bytes());
        assert_eq!(uuid(&id), id.to_string());
    }

    #[test]
    fn timestamps_read_as_chrono_serializes_them() {
        let base = Utc.with_ymd_and_hms(2026, 11, 22, 9, 5, 7).unwrap();
        let nanos = [
            0,
            1,
            120,
            1_000,
            123_000,
            1_000_000,
            5_000_000,
            999_999_999,
            7,
        ];
        let mut times: Vec<DateTime<Utc>> = nanos
            .iter()
            .map(|n| base + chrono::Duration::nanoseconds(*n))
            .collect();
        times.push(Utc::now());
        times.push(Utc.with_ymd_and_hms(1, 1, 1, 0, 0, 0).unwrap());
        times.push(Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap());
        times.push(Utc.with_ymd_and_hms(10_000, 1, 1, 0, 0, 0).unwrap());
        times.push(Utc.with_ymd_and_hms(-1, 1, 1, 0, 0, 0).unwrap());
        // A leap second.
        let leap = chrono::NaiveDate::from_ymd_opt(2016, 12, 31)
            .and_then(|d| d.and_hms_nano_opt(23, 59, 59, 1_500_000_000))
            .unwrap();
        times.push(Utc.from_utc_datetime(&leap));
        for at in times {
            let mut buf = vec![b'"'];
            push_timestamp(&mut buf, &at);
            buf.push(b'"');
            assert_eq!(
                String::from_utf8(buf).unwrap(),
                serde_json::to_string(&at).unwrap()
            );
        }
    }
}
