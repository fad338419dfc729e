//! The server behaviour the relay's ordering rests on (nats-server 2.9): the duplicate
//! check runs before the expected-last-sequence check.

use async_nats::jetstream::context::PublishErrorKind;
use async_nats::jetstream::message::PublishMessage;

use crate::bus_config;

fn message(id: &str) -> PublishMessage {
    PublishMessage::build()
        .payload(id.to_owned().into())
        .message_id(id)
}

#[tokio::test]
async fn a_republished_stored_message_with_a_stale_expected_sequence_is_acked_as_duplicate()
-> anyhow::Result<()> {
    let bus = bus_config();
    let js = async_nats::jetstream::new(testkit::nats_client().await?);
    bus::provision::ensure_stream(&js, &bus).await?;
    let subject = format!("{}.lesson.x.SomethingHappened", bus.subject_prefix);

    let first = js
        .send_publish(subject.clone(), message("a"))
        .await?
        .await?;
    let second = js
        .send_publish(subject.clone(), message("b").expected_last_sequence(1))
        .await?
        .await?;
    assert_eq!((first.sequence, second.sequence), (1, 2));

    // Both again, expecting a last sequence that is long gone: duplicates, not errors.
    let again = js
        .send_publish(subject.clone(), message("a").expected_last_sequence(7))
        .await?
        .await?;
    assert!(again.duplicate);
    assert_eq!(
        again.sequence, 1,
        "a duplicate's ack names the stored original"
    );
    let again = js
        .send_publish(subject.clone(), message("b").expected_last_sequence(1))
        .await?
        .await?;
    assert!(again.duplicate);
    assert_eq!(again.sequence, 2);

    // A new message with a stale expectation is refused, not stored out of place.
    let refused = js
        .send_publish(subject.clone(), message("c").expected_last_sequence(1))
        .await?
        .await
        .expect_err("a new message must follow the expected sequence");
    assert_eq!(refused.kind(), PublishErrorKind::WrongLastSequence);

    let stream = js.get_stream(&bus.stream_name).await?;
    assert_eq!(stream.get_info().await?.state.messages, 2);
    Ok(())
}

#[tokio::test]
async fn provisioning_twice_is_harmless_and_other_subjects_are_an_error() -> anyhow::Result<()> {
    let bus = bus_config();
    let js = async_nats::jetstream::new(testkit::nats_client().await?);
    bus::provision::ensure_stream(&js, &bus).await?;
    let stream = bus::provision::ensure_stream(&js, &bus).await?;
    assert_eq!(
        stream.cached_info().config.subjects,
        vec![format!("{}.>", bus.subject_prefix)]
    );
    assert!(stream.cached_info().config.allow_direct);

    let elsewhere =
        bus::BusConfig::new(bus.stream_name.clone(), format!("{}x", bus.subject_prefix));
    let error = bus::provision::ensure_stream(&js, &elsewhere)
        .await
        .expect_err("the stream exists with other subjects");
    assert!(
        matches!(error, bus::Error::StreamSubjects { .. }),
        "{error}"
    );
    Ok(())
}
