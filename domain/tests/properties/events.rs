use domain::{ClassEvent, ContentRequestEvent, DomainEvent, LessonEvent, ProgressEvent, UserEvent};
use proptest::prelude::*;

use crate::values::json;

/// Decode `payload` as `E` under every event type `E` knows, and some it does not: never a
/// panic; whatever decodes encodes back to a payload that decodes to the same event.
fn decodes_without_panicking<E: DomainEvent + PartialEq + std::fmt::Debug>(
    types: &[&str],
    payload: &serde_json::Value,
    version: i32,
) {
    for event_type in types.iter().copied().chain(["Unknown", ""]) {
        if let Ok(event) = E::from_stored(event_type, version, payload) {
            let again = E::from_stored(
                event.event_type(),
                event.schema_version(),
                &event.to_payload(),
            )
            .expect("an encoded event decodes");
            assert_eq!(again, event);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_payloads_never_panic_the_decoders(payload in json(4), version in -1i32..4) {
        decodes_without_panicking::<LessonEvent>(&LessonEvent::EVENT_TYPES, &payload, version);
        decodes_without_panicking::<UserEvent>(&UserEvent::EVENT_TYPES, &payload, version);
        decodes_without_panicking::<ClassEvent>(&ClassEvent::EVENT_TYPES, &payload, version);
        decodes_without_panicking::<ProgressEvent>(&ProgressEvent::EVENT_TYPES, &payload, version);
        decodes_without_panicking::<ContentRequestEvent>(&ContentRequestEvent::EVENT_TYPES, &payload, version);
    }
}
