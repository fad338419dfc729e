use projections::lessons::{self, LessonFilter, Lessons};
use projections::{advance_to, position, rebuild};

use crate::{catalog_rows, some_lessons, world};

#[tokio::test]
async fn the_catalog_shows_each_lesson_as_its_last_event_left_it() -> anyhow::Result<()> {
    let world = world().await?;
    let ids = some_lessons(&world, 6).await?;
    let head = eventstore::read::head(&world.db.pool).await?;
    assert_eq!(advance_to(&world.db.pool, &Lessons, head).await?, head);
    assert_eq!(position(&world.db.pool, &Lessons).await?, head);

    let statuses: Vec<String> = futures_statuses(&world.db.pool, &ids).await?;
    assert_eq!(
        statuses,
        [
            "draft",
            "draft",
            "in_review",
            "approved",
            "published",
            "archived"
        ]
    );
    let second = lessons::get(&world.db.pool, ids[1]).await?.expect("a row");
    assert_eq!(
        (second.title.as_str(), second.version),
        ("Lesson 1, revised", 2)
    );
    let published = lessons::get(&world.db.pool, ids[4]).await?.expect("a row");
    assert!(published.published_at.is_some());
    Ok(())
}

async fn futures_statuses(pool: &sqlx::PgPool, ids: &[uuid::Uuid]) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for id in ids {
        out.push(
            lessons::get(pool, *id)
                .await?
                .expect("a row")
                .status
                .as_str()
                .to_owned(),
        );
    }
    Ok(out)
}

#[tokio::test]
async fn catalog_queries_filter_and_page() -> anyhow::Result<()> {
    let world = world().await?;
    some_lessons(&world, 12).await?;
    advance_to(
        &world.db.pool,
        &Lessons,
        eventstore::read::head(&world.db.pool).await?,
    )
    .await?;
    let science = lessons::list(
        &world.db.pool,
        &LessonFilter {
            subject: Some("Science".into()),
            limit: 50,
            ..Default::default()
        },
    )
    .await?;
    assert_eq!(science.lessons.len(), 4);
    assert!(science.lessons.iter().all(|l| l.subject == "Science"));
    let first = lessons::list(
        &world.db.pool,
        &LessonFilter {
            limit: 5,
            ..Default::default()
        },
    )
    .await?;
    let second = lessons::list(
        &world.db.pool,
        &LessonFilter {
            limit: 5,
            after: first.next,
            ..Default::default()
        },
    )
    .await?;
    let third = lessons::list(
        &world.db.pool,
        &LessonFilter {
            limit: 5,
            after: second.next,
            ..Default::default()
        },
    )
    .await?;
    assert_eq!(
        (
            first.lessons.len(),
            second.lessons.len(),
            third.lessons.len()
        ),
        (5, 5, 2)
    );
    assert!(first.lessons.last().unwrap().lesson_id < second.lessons[0].lesson_id);
    let titled = lessons::list(
        &world.db.pool,
        &LessonFilter {
            title_contains: Some("lesson 1".into()),
            limit: 50,
            ..Default::default()
        },
    )
    .await?;
    assert_eq!(titled.lessons.len(), 3, "Lesson 1, 10, 11");
    let wildcard = lessons::list(
        &world.db.pool,
        &LessonFilter {
            title_contains: Some("%".into()),
            limit: 50,
            ..Default::default()
        },
    )
    .await?;
    assert!(wildcard.lessons.is_empty(), "% is matched literally");
    Ok(())
}

#[tokio::test]
async fn a_rebuild_yields_the_same_rows_as_the_live_run() -> anyhow::Result<()> {
    let world = world().await?;
    some_lessons(&world, 30).await?;
    // Live: advanced in small steps, as a live worker does batch by batch.
    let head = eventstore::read::head(&world.db.pool).await?;
    for until in (1..=head).step_by(7).chain([head]) {
        advance_to(&world.db.pool, &Lessons, until).await?;
    }
    let live = catalog_rows(&world.db.pool).await?;
    assert_eq!(live.len(), 30);

    let rebuilt = rebuild(&world.db.pool, &Lessons, |_, _| {}).await?;
    assert_eq!(rebuilt.position, head);
    assert_eq!(catalog_rows(&world.db.pool).await?, live);
    assert_eq!(projections::position(&world.db.pool, &Lessons).await?, head);
    // The swapped-in table keeps working for live updates.
    some_lessons(&world, 2).await?;
    let head = eventstore::read::head(&world.db.pool).await?;
    advance_to(&world.db.pool, &Lessons, head).await?;
    assert_eq!(catalog_rows(&world.db.pool).await?.len(), 32);
    Ok(())
}
