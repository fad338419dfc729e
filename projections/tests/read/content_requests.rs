//! The content requests read model: requests made for draft lessons, then cancelled,
//! generated or failed, all through the command runners, then projected.

use domain::{ContentPart, ContentRequestCommand, ContentRequestStatus, Role};
use projections::content_requests::{self, ContentRequestFilter, ContentRequests};
use projections::rebuild;
use uuid::Uuid;

use crate::school::{School, advance, advance_in_steps, apply_again, table_rows};
use crate::{World, world};

async fn request(world: &World, id: Uuid) -> anyhow::Result<content_requests::ContentRequestRow> {
    content_requests::get(&world.db.pool, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no row for content request {id}"))
}

/// Requests by two teachers for two lessons, one left open and one ended each way:
/// `[open, cancelled, generated, failed]`; the first two for the first lesson.
async fn some_requests(school: &School) -> anyhow::Result<[Uuid; 4]> {
    let tess = school.register(Role::Teacher).await?;
    let tom = school.register(Role::Teacher).await?;
    let photosynthesis = school.draft_lesson("Science", 7).await?;
    let rivers = school.draft_lesson("Geography", 5).await?;
    let open = school
        .request_content(photosynthesis, tess, &[ContentPart::Quiz], None)
        .await?;
    let cancelled = school
        .request_content(photosynthesis, tess, &ContentPart::ALL, Some("Space"))
        .await?;
    let generated = school
        .request_content(
            rivers,
            tom,
            &[ContentPart::Script, ContentPart::LessonContent],
            None,
        )
        .await?;
    let failed = school
        .request_content(rivers, tom, &[ContentPart::Terrain], None)
        .await?;
    let endings = [
        (
            cancelled,
            ContentRequestCommand::Cancel {
                reason: Some(domain::Reason::parse("not needed").unwrap()),
            },
        ),
        (
            generated,
            ContentRequestCommand::MarkGenerated {
                outputs: serde_json::json!({ "script": "print('hi')" }),
            },
        ),
        (
            failed,
            ContentRequestCommand::MarkFailed {
                reason: "terrain agent gave up".into(),
            },
        ),
    ];
    for (id, how) in endings {
        school.finish_request(id, how).await?;
    }
    Ok([open, cancelled, generated, failed])
}

#[tokio::test]
async fn a_request_shows_what_was_asked_and_how_it_ended() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    let [open, cancelled, generated, failed] = some_requests(&school).await?;
    advance(&world, &ContentRequests).await?;

    let asked = request(&world, open).await?;
    assert_eq!(
        (asked.status.as_str(), asked.version, asked.parts.as_slice()),
        ("requested", 1, ["quiz".to_owned()].as_slice())
    );
    assert_eq!(
        (
            asked.title.as_str(),
            asked.subject.as_str(),
            asked.grade_level
        ),
        ("Science for grade 7", "Science", 7)
    );
    assert_eq!(
        asked.objectives,
        serde_json::json!(["Name the parts", "Explain the cycle"])
    );
    assert_eq!((asked.duration_minutes, asked.theme), (45, None));
    assert_eq!(
        (asked.finished_at, asked.duration_ms, asked.reason),
        (None, None, None),
        "unfinished"
    );

    let cancelled = request(&world, cancelled).await?;
    assert_eq!(
        (cancelled.status.as_str(), cancelled.reason.as_deref()),
        ("cancelled", Some("not needed"))
    );
    assert_eq!(
        cancelled.parts,
        ["lesson_content", "quiz", "terrain", "script"]
    );
    assert_eq!(cancelled.theme.as_deref(), Some("Space"));

    let generated = request(&world, generated).await?;
    assert_eq!(
        (
            generated.status.as_str(),
            generated.reason.as_deref(),
            generated.version
        ),
        ("generated", None, 2)
    );
    assert_eq!(generated.parts, ["lesson_content", "script"]);
    let failed = request(&world, failed).await?;
    assert_eq!(
        (failed.status.as_str(), failed.reason.as_deref()),
        ("failed", Some("terrain agent gave up"))
    );

    for ended in [&cancelled, &generated, &failed] {
        let finished_at = ended.finished_at.expect("finished");
        let took = (finished_at - ended.requested_at).num_milliseconds();
        assert_eq!(ended.duration_ms, Some(took));
        assert!(took >= 0);
    }
    Ok(())
}

#[tokio::test]
async fn content_request_queries_filter_by_status_lesson_and_requester_and_page()
-> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    let [open, cancelled, generated, failed] = some_requests(&school).await?;
    advance(&world, &ContentRequests).await?;
    let pool = &world.db.pool;
    let list = async |filter: ContentRequestFilter| -> anyhow::Result<Vec<Uuid>> {
        Ok(content_requests::list(pool, &filter)
            .await?
            .requests
            .into_iter()
            .map(|r| r.request_id)
            .collect())
    };
    let first = request(&world, open).await?;
    let by_lesson = list(ContentRequestFilter {
        lesson_id: Some(first.lesson_id),
        limit: 50,
        ..Default::default()
    })
    .await?;
    assert_eq!(by_lesson, [open, cancelled]);
    let by_requester = list(ContentRequestFilter {
        requested_by: Some(request(&world, generated).await?.requested_by),
        limit: 50,
        ..Default::default()
    })
    .await?;
    assert_eq!(by_requester, [generated, failed]);
    for (status, expected) in [
        (ContentRequestStatus::Requested, open),
        (ContentRequestStatus::Cancelled, cancelled),
        (ContentRequestStatus::Generated, generated),
        (ContentRequestStatus::Failed, failed),
    ] {
        let by_status = list(ContentRequestFilter {
            status: Some(status),
            limit: 50,
            ..Default::default()
        })
        .await?;
        assert_eq!(by_status, [expected], "{status}");
    }
    let nothing = list(ContentRequestFilter {
        status: Some(ContentRequestStatus::InProgress),
        limit: 50,
        ..Default::default()
    })
    .await?;
    assert!(nothing.is_empty());
    let lesson_and_status = list(ContentRequestFilter {
        lesson_id: Some(first.lesson_id),
        status: Some(ContentRequestStatus::Requested),
        limit: 50,
        ..Default::default()
    })
    .await?;
    assert_eq!(lesson_and_status, [open]);

    let page_one = content_requests::list(
        pool,
        &ContentRequestFilter {
            limit: 3,
            ..Default::default()
        },
    )
    .await?;
    let page_two = content_requests::list(
        pool,
        &ContentRequestFilter {
            limit: 3,
            after: page_one.next,
            ..Default::default()
        },
    )
    .await?;
    let paged: Vec<Uuid> = page_one
        .requests
        .iter()
        .chain(&page_two.requests)
        .map(|r| r.request_id)
        .collect();
    assert_eq!(paged, [open, cancelled, generated, failed]);
    assert_eq!(page_two.next, None);
    Ok(())
}

#[tokio::test]
async fn applying_a_batch_again_changes_no_request() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    some_requests(&school).await?;
    advance(&world, &ContentRequests).await?;
    let before = table_rows(&world.db.pool, "content_requests", "request_id").await?;
    apply_again(&world, &ContentRequests).await?;
    assert_eq!(
        table_rows(&world.db.pool, "content_requests", "request_id").await?,
        before
    );
    Ok(())
}

#[tokio::test]
async fn a_rebuild_yields_the_same_rows_as_the_live_run() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    let [open, ..] = some_requests(&school).await?;
    let head = advance_in_steps(&world, &ContentRequests, 2).await?;
    let live = table_rows(&world.db.pool, "content_requests", "request_id").await?;
    assert_eq!(live.len(), 4);

    let rebuilt = rebuild(&world.db.pool, &ContentRequests, |_, _| {}).await?;
    assert_eq!(rebuilt.position, head);
    assert_eq!(
        table_rows(&world.db.pool, "content_requests", "request_id").await?,
        live
    );
    // The swapped-in table keeps working live.
    school
        .finish_request(open, ContentRequestCommand::Cancel { reason: None })
        .await?;
    advance(&world, &ContentRequests).await?;
    let cancelled = request(&world, open).await?;
    assert_eq!(
        (cancelled.status.as_str(), cancelled.reason),
        ("cancelled", None)
    );
    assert!(cancelled.duration_ms.is_some());
    Ok(())
}
