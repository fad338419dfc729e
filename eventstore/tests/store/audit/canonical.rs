//! Canonical bytes survive the jsonb round trip.

use eventstore::audit::{self};
use eventstore::{Append, ExpectedVersion, Metadata, NewEvent};
use serde_json::{Value, json};
use sqlx::Row;

use super::store_with;
use crate::lesson_stream;

/// Payloads whose jsonb form differs from what serde_json writes (key order, numbers,
/// escapes) have the same canonical bytes before insert and after reading them back.
#[tokio::test]
async fn canonical_bytes_survive_the_jsonb_round_trip() -> anyhow::Result<()> {
    let db = testkit::TestDb::create().await?;
    let store = store_with(&db, 10).await?;

    let text = r#"{
        "zeta": 1, "alpha": {"b": [], "a": {}, "": null},
        "numbers": [1.0, 1e20, 1E21, 1e-7, -0.0, 0.1, 2.5e-5, 123456789.123456789, 1e19,
                    12345678901234567890, 9007199254740993, 18446744073709551615,
                    -9223372036854775808, 1.2345678901234567e19, 5e-324,
                    1.7976931348623157e308, 333333333.33333329, 4.50, 1e300, 100],
        "strings": ["é", "\u00e9", "\u2028\u2029", "😀", "\ud83d\ude00", "tab\there",
                    "quote\"back\\slash/", "\u001f\u007f", "€$\u000f\nA'B"],
        "\u20ac": "euro", "😀": "emoji", "\ufb33": "dalet", "\u0080": "control", "1": "one",
        "\r": "cr", "ö": "o", "flags": [true, false, null]
    }"#;
    let mut payloads: Vec<Value> = vec![serde_json::from_str(text)?];
    // And many doubles across the whole range, from a fixed pseudo-random sequence.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..4 {
        let doubles: Vec<Value> = std::iter::repeat_with(|| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            f64::from_bits(x)
        })
        .filter(|f| f.is_finite())
        .take(500)
        .map(|f| json!(f))
        .collect();
        payloads.push(json!({ "doubles": doubles }));
    }
    let metadata = Metadata {
        actor_role: Some("téacher \u{2028}".to_owned()),
        correlation_id: Some("req-😀".to_owned()),
        ..Metadata::default()
    };
    for payload in &payloads {
        let event = NewEvent::new("LessonRevised", payload.clone()).with_metadata(metadata.clone());
        store
            .append(Append::new(
                lesson_stream(),
                ExpectedVersion::NoStream,
                vec![event],
            ))
            .await?;
    }

    let rows = sqlx::query("SELECT payload, metadata FROM es.events ORDER BY position")
        .fetch_all(&db.pool)
        .await?;
    let metadata = serde_json::to_value(&metadata)?;
    for (row, written) in rows.iter().zip(&payloads) {
        let read: Value = row.try_get("payload")?;
        assert_eq!(
            String::from_utf8(audit::canonical::to_vec(&read))?,
            String::from_utf8(audit::canonical::to_vec(written))?
        );
        let read: Value = row.try_get("metadata")?;
        assert_eq!(
            audit::canonical::to_vec(&read),
            audit::canonical::to_vec(&metadata)
        );
    }
    let report = audit::verify(&db.pool, None, |_| {}).await?;
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.checked, 5);
    Ok(())
}
