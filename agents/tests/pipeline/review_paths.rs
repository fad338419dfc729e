//! Review sends bad parts back once, with its findings; a second failure ends the request.
//! Answers that do not parse are asked for again with the parse error.

use agents::Handled;
use domain::{AgentName, ContentRequestStatus};
use serde_json::Value;

use crate::support::{Scripted, World, count, request_uuid, steps_recorded};

/// A quiz whose first item has every option marked correct.
fn two_correct(text: String) -> String {
    let mut quiz: Value = serde_json::from_str(&text).expect("offline answers are JSON");
    for option in quiz["items"][0]["options"].as_array_mut().expect("options") {
        option["correct"] = Value::Bool(true);
    }
    quiz.to_string()
}

/// A script whose source is not Luau.
fn unparseable(text: String) -> String {
    let mut script: Value = serde_json::from_str(&text).expect("offline answers are JSON");
    script["source"] = Value::String("local function (\n  print(\"never closed\"\n".to_owned());
    script.to_string()
}

#[tokio::test]
async fn a_quiz_item_with_two_correct_options_is_sent_back_then_fails_the_request()
-> anyhow::Result<()> {
    let world = World::new().await?;
    let lesson = world.lesson(5).await?;
    let trigger = world.request(lesson, &["quiz"]).await?;
    let id = request_uuid(&trigger);
    let provider = Scripted::new().tamper(AgentName::Quiz, |_, text| two_correct(text));
    let tasks = provider.tasks.clone();

    let handled = world.supervisor(provider).handle(&trigger).await?;

    assert_eq!(handled, Handled::Failed);
    let request = world.request_state(id).await?;
    assert_eq!(request.status(), ContentRequestStatus::Failed);
    let reason = request.details().unwrap().reason.clone().unwrap();
    assert!(reason.contains("review failed 2 times"), "{reason}");
    assert!(reason.contains("quiz"), "{reason}");
    // The quiz went back once, with the findings; the plan was not redone.
    let quiz_tasks: Vec<_> = tasks
        .lock()
        .unwrap()
        .iter()
        .filter(|t| t.agent == AgentName::Quiz)
        .cloned()
        .collect();
    assert_eq!(quiz_tasks.len(), 2);
    assert!(quiz_tasks[0].feedback.is_empty());
    assert!(
        quiz_tasks[1].feedback.iter().any(|f| f.contains("correct")),
        "{:?}",
        quiz_tasks[1].feedback
    );
    assert_eq!(request.latest_step(AgentName::Content).unwrap().attempt, 1);
    assert_eq!(request.latest_step(AgentName::Review).unwrap().attempt, 2);
    let types = world.types(id).await?;
    assert_eq!(count(&types, "ContentGenerated"), 0);
    assert_eq!(count(&types, "ContentGenerationFailed"), 1);
    Ok(())
}

#[tokio::test]
async fn a_part_fixed_after_the_findings_passes_the_second_review() -> anyhow::Result<()> {
    let world = World::new().await?;
    let lesson = world.lesson(5).await?;
    let trigger = world.request(lesson, &["quiz", "script"]).await?;
    let id = request_uuid(&trigger);
    // Wrong until told what is wrong.
    let provider = Scripted::new().tamper(AgentName::Quiz, |task, text| {
        if task.feedback.is_empty() {
            two_correct(text)
        } else {
            text
        }
    });

    let handled = world.supervisor(provider).handle(&trigger).await?;

    assert_eq!(handled, Handled::Generated);
    let request = world.request_state(id).await?;
    assert_eq!(request.latest_step(AgentName::Quiz).unwrap().attempt, 2);
    assert_eq!(request.latest_step(AgentName::Script).unwrap().attempt, 1);
    assert_eq!(request.latest_step(AgentName::Review).unwrap().attempt, 2);
    let outputs = request.outputs().unwrap();
    assert_eq!(outputs["review"]["passed"], Value::Bool(true));
    Ok(())
}

#[tokio::test]
async fn a_script_that_does_not_parse_fails_review_with_the_parsers_message() -> anyhow::Result<()>
{
    let world = World::new().await?;
    let lesson = world.lesson(7).await?;
    let trigger = world.request(lesson, &["terrain", "script"]).await?;
    let id = request_uuid(&trigger);
    let provider = Scripted::new().tamper(AgentName::Script, |_, text| unparseable(text));

    let handled = world.supervisor(provider).handle(&trigger).await?;

    assert_eq!(handled, Handled::Failed);
    let request = world.request_state(id).await?;
    let first_review = request.step(AgentName::Review, 1).unwrap();
    let domain::StepOutcome::Completed { output, .. } = &first_review.outcome else {
        panic!("the review completed: {first_review:?}");
    };
    let findings = output["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(
        findings.iter().all(|f| f["agent"] == "script"),
        "only the script is at fault: {findings:?}"
    );
    assert_eq!(request.latest_step(AgentName::Terrain).unwrap().attempt, 1);
    assert_eq!(request.latest_step(AgentName::Script).unwrap().attempt, 2);
    Ok(())
}

#[tokio::test]
async fn an_answer_that_does_not_parse_is_asked_for_again_with_the_error() -> anyhow::Result<()> {
    let world = World::new().await?;
    let lesson = world.lesson(2).await?;
    let trigger = world.request(lesson, &["quiz"]).await?;
    let id = request_uuid(&trigger);
    let provider = Scripted::new().tamper(AgentName::Quiz, |task, text| {
        if task.feedback.is_empty() {
            "Sure! Here is your quiz: {\"items\": [".to_owned()
        } else {
            text
        }
    });
    let tasks = provider.tasks.clone();

    let handled = world.supervisor(provider).handle(&trigger).await?;

    assert_eq!(handled, Handled::Generated);
    let quiz_tasks: Vec<_> = tasks
        .lock()
        .unwrap()
        .iter()
        .filter(|t| t.agent == AgentName::Quiz)
        .cloned()
        .collect();
    assert_eq!(quiz_tasks.len(), 2, "one retry inside the same attempt");
    assert!(
        quiz_tasks[1].feedback[0].contains("could not be used"),
        "{:?}",
        quiz_tasks[1].feedback
    );
    let request = world.request_state(id).await?;
    assert_eq!(request.latest_step(AgentName::Quiz).unwrap().attempt, 1);
    Ok(())
}

#[tokio::test]
async fn an_agent_whose_answers_never_parse_fails_its_steps_then_the_request() -> anyhow::Result<()>
{
    let world = World::new().await?;
    let lesson = world.lesson(2).await?;
    let trigger = world.request(lesson, &["quiz"]).await?;
    let id = request_uuid(&trigger);
    let provider = Scripted::new().tamper(AgentName::Quiz, |_, _| "no JSON at all".to_owned());

    let handled = world.supervisor(provider).handle(&trigger).await?;

    assert_eq!(handled, Handled::Failed);
    let types = world.types(id).await?;
    assert_eq!(
        count(&types, "AgentStepFailed"),
        3,
        "three attempts: {types:?}"
    );
    let request = world.request_state(id).await?;
    let reason = request.details().unwrap().reason.clone().unwrap();
    assert!(reason.contains("the quiz agent failed 3 times"), "{reason}");
    assert!(reason.contains("did not parse"), "{reason}");
    Ok(())
}

#[tokio::test]
async fn a_step_whose_answers_never_parse_is_counted_and_timed_as_unparsable() -> anyhow::Result<()>
{
    testkit::metrics::recorder();
    let world = World::new().await?;
    let lesson = world.lesson(2).await?;
    let trigger = world.request(lesson, &["quiz"]).await?;
    let provider = testkit::unique_prefix();
    let scripted = Scripted::new()
        .named(&provider)
        .tamper(AgentName::Quiz, |_, _| "no JSON at all".to_owned());

    let handled = world.supervisor(scripted).handle(&trigger).await?;

    assert_eq!(handled, Handled::Failed);
    assert_eq!(
        steps_recorded(AgentName::Quiz, &provider, "unparsable"),
        (3.0, 3.0),
        "three quiz steps, each failed once its tries were used up"
    );
    assert_eq!(
        steps_recorded(AgentName::Quiz, &provider, "completed"),
        (0.0, 0.0)
    );
    assert_eq!(
        steps_recorded(AgentName::Content, &provider, "completed"),
        (1.0, 1.0)
    );
    Ok(())
}
