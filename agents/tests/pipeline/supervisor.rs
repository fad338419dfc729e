//! One supervisor, called directly with the triggering event (no bus).

use agents::Handled;
use agents::provider::offline::Offline;
use agents::supervisor::next::ReviewRecord;
use domain::{AgentName, ContentRequestStatus, StepOutcome};

use crate::support::{Scripted, World, count, request_uuid, steps_recorded};

#[tokio::test]
async fn a_request_for_every_part_ends_generated_with_reviewed_outputs_on_the_lesson()
-> anyhow::Result<()> {
    let world = World::new().await?;
    let lesson = world.lesson(5).await?;
    let trigger = world
        .request(lesson, &["lesson_content", "quiz", "terrain", "script"])
        .await?;
    let id = request_uuid(&trigger);

    let handled = world.supervisor(Offline::new()).handle(&trigger).await?;

    assert_eq!(handled, Handled::Generated);
    let types = world.types(id).await?;
    assert_eq!(types.first().map(String::as_str), Some("ContentRequested"));
    assert_eq!(types.last().map(String::as_str), Some("ContentGenerated"));
    assert_eq!(count(&types, "ContentGenerated"), 1);
    // Five agents, one attempt each, each started then completed.
    assert_eq!(count(&types, "AgentStepStarted"), 5);
    assert_eq!(count(&types, "AgentStepCompleted"), 5);
    assert_eq!(count(&types, "AgentStepFailed"), 0);

    let request = world.request_state(id).await?;
    assert_eq!(request.status(), ContentRequestStatus::Generated);
    let outputs = request.outputs().expect("outputs");
    for part in ["lesson_content", "quiz", "terrain", "script"] {
        assert!(
            outputs.get(part).is_some_and(|o| o.is_object()),
            "{part} in {outputs}"
        );
    }
    let review: ReviewRecord = serde_json::from_value(outputs["review"].clone())?;
    assert!(review.passed, "{}", review.summary());
    assert_eq!(outputs["made_by"]["quiz"]["provider"], "offline");

    let lesson = world.lesson_state(lesson).await?;
    let attached = lesson.generated_content().expect("content on the lesson");
    assert_eq!(attached.content_request_id.as_uuid(), id);
    assert_eq!(
        serde_json::Value::Object(attached.content.as_object().clone()),
        *outputs
    );
    Ok(())
}

#[tokio::test]
async fn only_the_requested_parts_are_made_after_the_plan() -> anyhow::Result<()> {
    let world = World::new().await?;
    let lesson = world.lesson(9).await?;
    let trigger = world.request(lesson, &["quiz"]).await?;
    let id = request_uuid(&trigger);

    world.supervisor(Offline::new()).handle(&trigger).await?;

    let request = world.request_state(id).await?;
    let agents: Vec<AgentName> = request.steps().iter().map(|s| s.agent).collect();
    assert_eq!(
        agents,
        vec![AgentName::Content, AgentName::Quiz, AgentName::Review]
    );
    let outputs = request.outputs().expect("outputs");
    assert!(outputs.get("quiz").is_some());
    assert!(outputs.get("lesson_content").is_none());
    assert!(outputs.get("terrain").is_none() && outputs.get("script").is_none());
    Ok(())
}

#[tokio::test]
async fn handling_the_same_event_again_records_nothing_more() -> anyhow::Result<()> {
    let world = World::new().await?;
    let lesson = world.lesson(3).await?;
    let trigger = world.request(lesson, &["lesson_content", "quiz"]).await?;
    let id = request_uuid(&trigger);
    let supervisor = world.supervisor(Offline::new());

    supervisor.handle(&trigger).await?;
    let first = world.events(id).await?;
    let lesson_version = world.lessons.state(lesson.as_uuid()).await?.0;
    // A redelivery, and another worker's copy of the same event.
    assert_eq!(supervisor.handle(&trigger).await?, Handled::Generated);
    assert_eq!(
        world.supervisor(Offline::new()).handle(&trigger).await?,
        Handled::Generated
    );

    assert_eq!(world.events(id).await?, first);
    assert_eq!(
        world.lessons.state(lesson.as_uuid()).await?.0,
        lesson_version
    );
    Ok(())
}

#[tokio::test]
async fn a_cancelled_request_is_skipped() -> anyhow::Result<()> {
    let world = World::new().await?;
    let lesson = world.lesson(4).await?;
    let trigger = world.request(lesson, &["quiz"]).await?;
    let id = request_uuid(&trigger);
    world.cancel(id).await?;

    let handled = world.supervisor(Offline::new()).handle(&trigger).await?;

    assert_eq!(handled, Handled::Skipped);
    assert_eq!(
        world.types(id).await?,
        vec!["ContentRequested", "ContentRequestCancelled"]
    );
    Ok(())
}

#[tokio::test]
async fn a_request_cancelled_while_an_agent_works_stops_at_the_next_step() -> anyhow::Result<()> {
    let world = World::new().await?;
    let lesson = world.lesson(6).await?;
    let trigger = world.request(lesson, &["quiz", "terrain"]).await?;
    let id = request_uuid(&trigger);
    let provider = Scripted::new().slow(AgentName::Content, std::time::Duration::from_millis(500));
    let supervisor = world.supervisor(provider);

    let running = supervisor.handle(&trigger);
    let cancelling = async {
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        world.cancel(id).await
    };
    let (handled, cancelled) = tokio::join!(running, cancelling);
    cancelled?;

    assert_eq!(handled?, Handled::Skipped);
    let types = world.types(id).await?;
    assert_eq!(
        types,
        vec![
            "ContentRequested",
            "AgentStepStarted",
            "ContentRequestCancelled"
        ],
        "the content step's result is refused and no other step starts"
    );
    Ok(())
}

#[tokio::test]
async fn a_provider_outage_records_the_failed_step_and_asks_to_try_later() -> anyhow::Result<()> {
    let world = World::new().await?;
    let lesson = world.lesson(8).await?;
    let trigger = world.request(lesson, &["quiz"]).await?;
    let id = request_uuid(&trigger);

    let error = world
        .supervisor(Scripted::new().unavailable())
        .handle(&trigger)
        .await
        .expect_err("no provider answered");
    assert!(format!("{error:#}").contains("provider"), "{error:#}");

    let request = world.request_state(id).await?;
    assert_eq!(request.status(), ContentRequestStatus::InProgress);
    let step = request.latest_step(AgentName::Content).expect("a step");
    assert!(
        matches!(&step.outcome, StepOutcome::Failed { reason } if reason.contains("503")),
        "{step:?}"
    );
    // The provider is back: the next delivery continues with attempt 2.
    assert_eq!(
        world.supervisor(Offline::new()).handle(&trigger).await?,
        Handled::Generated
    );
    let request = world.request_state(id).await?;
    assert_eq!(request.latest_step(AgentName::Content).unwrap().attempt, 2);
    Ok(())
}

#[tokio::test]
async fn giving_up_marks_the_request_failed_once() -> anyhow::Result<()> {
    let world = World::new().await?;
    let lesson = world.lesson(8).await?;
    let trigger = world.request(lesson, &["quiz"]).await?;
    let id = request_uuid(&trigger);
    let supervisor = world.supervisor(Offline::new());

    supervisor.give_up(&trigger, "5 deliveries").await?;
    supervisor.give_up(&trigger, "5 deliveries").await?;

    let types = world.types(id).await?;
    assert_eq!(types, vec!["ContentRequested", "ContentGenerationFailed"]);
    let request = world.request_state(id).await?;
    assert!(
        request
            .details()
            .unwrap()
            .reason
            .as_deref()
            .unwrap()
            .contains("5 deliveries")
    );
    assert_eq!(supervisor.handle(&trigger).await?, Handled::Failed);
    Ok(())
}

#[tokio::test]
async fn each_agent_step_is_counted_and_timed_by_agent_provider_and_outcome() -> anyhow::Result<()>
{
    testkit::metrics::recorder();
    let world = World::new().await?;
    let lesson = world.lesson(5).await?;
    let trigger = world
        .request(lesson, &["lesson_content", "quiz", "terrain", "script"])
        .await?;
    // A provider name of this test's own: its series are ours alone. The review step's
    // provider is always `lectern`, shared with other tests: it must rise by one at least.
    let provider = testkit::unique_prefix();
    let reviews = steps_recorded(AgentName::Review, "lectern", "completed");

    let handled = world
        .supervisor(Scripted::new().named(&provider))
        .handle(&trigger)
        .await?;

    assert_eq!(handled, Handled::Generated);
    for agent in [
        AgentName::Content,
        AgentName::Quiz,
        AgentName::Terrain,
        AgentName::Script,
    ] {
        assert_eq!(
            steps_recorded(agent, &provider, "completed"),
            (1.0, 1.0),
            "one {agent} step completed, counted and timed"
        );
        assert_eq!(steps_recorded(agent, &provider, "unparsable"), (0.0, 0.0));
    }
    let (reviewed, timed) = steps_recorded(AgentName::Review, "lectern", "completed");
    assert!(
        reviewed >= reviews.0 + 1.0 && timed >= reviews.1 + 1.0,
        "the review step is counted and timed too: {reviews:?} → {:?}",
        (reviewed, timed)
    );
    Ok(())
}

#[tokio::test]
async fn a_step_no_provider_answered_is_counted_and_timed_as_no_provider() -> anyhow::Result<()> {
    testkit::metrics::recorder();
    let world = World::new().await?;
    let lesson = world.lesson(8).await?;
    let trigger = world.request(lesson, &["quiz"]).await?;
    // `none` is every failed step's provider: other tests of this binary may add to it.
    let (steps, timed) = steps_recorded(AgentName::Content, "none", "no_provider");

    world
        .supervisor(Scripted::new().unavailable())
        .handle(&trigger)
        .await
        .expect_err("no provider answered");

    let (steps_after, timed_after) = steps_recorded(AgentName::Content, "none", "no_provider");
    assert!(steps_after >= steps + 1.0, "{steps} -> {steps_after}");
    assert!(timed_after >= timed + 1.0, "{timed} -> {timed_after}");
    Ok(())
}
