use commands::CommandError;
use domain::{LessonCommand, LessonStatus, UserId};
use eventstore::{LogFilter, read};
use uuid::Uuid;

use crate::{draft, retitle, rule, runner, teacher};

#[tokio::test]
async fn a_lesson_goes_from_draft_to_published_one_version_per_command() -> anyhow::Result<()> {
    let (db, lessons) = runner().await?;
    let id = Uuid::now_v7();
    let ctx = teacher();
    let mut versions = vec![lessons.execute(id, &draft(id), &ctx).await?.version];
    for title in [
        "Photosynthesis I",
        "Photosynthesis II",
        "Photosynthesis III",
    ] {
        versions.push(lessons.execute(id, &retitle(title), &ctx).await?.version);
    }
    for command in [
        LessonCommand::SubmitForReview,
        LessonCommand::Approve {
            reviewer: UserId::new(Uuid::now_v7()),
        },
        LessonCommand::Publish,
    ] {
        versions.push(lessons.execute(id, &command, &ctx).await?.version);
    }
    assert_eq!(versions, (1..=7).collect::<Vec<_>>());
    let (version, state) = lessons.state(id).await?;
    assert_eq!((version, state.status()), (7, LessonStatus::Published));
    assert_eq!(
        state.title().map(|t| t.as_str()),
        Some("Photosynthesis III")
    );

    // Every event records who did it and which command.
    let events = read::log(&db.pool, 0, &LogFilter::all(), 100).await?;
    let actor = ctx.actor.as_ref().unwrap();
    assert!(events.iter().all(|e| e.metadata.actor_id == Some(actor.id)
        && e.metadata.actor_role.as_deref() == Some("teacher")
        && e.metadata.command_id.is_some()));
    Ok(())
}

#[tokio::test]
async fn a_rejected_command_appends_nothing_and_names_its_rule() -> anyhow::Result<()> {
    let (db, lessons) = runner().await?;
    let id = Uuid::now_v7();
    lessons.execute(id, &draft(id), &teacher()).await?;
    let error = lessons
        .execute(id, &LessonCommand::Publish, &teacher())
        .await
        .unwrap_err();
    assert_eq!(rule(&error), Some("lesson-not-approved"));
    let missing = Uuid::now_v7();
    let error = lessons
        .execute(missing, &LessonCommand::Publish, &teacher())
        .await
        .unwrap_err();
    assert_eq!(rule(&error), Some("lesson-not-found"));
    assert_eq!(read::head(&db.pool).await?, 1);
    Ok(())
}

#[tokio::test]
async fn a_pinned_version_that_does_not_match_is_refused_not_retried() -> anyhow::Result<()> {
    let (db, lessons) = runner().await?;
    let id = Uuid::now_v7();
    lessons.execute(id, &draft(id), &teacher()).await?;
    lessons.execute(id, &retitle("Second"), &teacher()).await?;
    let stale = teacher().with_expected_version(1);
    let error = lessons
        .execute(id, &retitle("Third"), &stale)
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        CommandError::VersionMismatch {
            expected: 1,
            actual: 2,
            ..
        }
    ));
    let current = teacher().with_expected_version(2);
    assert_eq!(
        lessons
            .execute(id, &retitle("Third"), &current)
            .await?
            .version,
        3
    );
    assert_eq!(read::head(&db.pool).await?, 3);
    Ok(())
}

#[tokio::test]
async fn repeating_a_command_id_returns_the_first_result_even_if_the_rule_would_now_refuse()
-> anyhow::Result<()> {
    let (db, lessons) = runner().await?;
    let id = Uuid::now_v7();
    let ctx = teacher().with_command_id(Uuid::now_v7());
    let first = lessons.execute(id, &draft(id), &ctx).await?;
    let again = lessons.execute(id, &draft(id), &ctx).await?;
    assert!(again.duplicate);
    assert_eq!(again.event_ids, first.event_ids);
    assert_eq!(read::head(&db.pool).await?, 1);
    // A different command id is a new command, and drafting twice is refused.
    let error = lessons
        .execute(id, &draft(id), &teacher())
        .await
        .unwrap_err();
    assert_eq!(rule(&error), Some("lesson-already-exists"));
    Ok(())
}
