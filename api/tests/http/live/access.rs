//! Who may open which feed (a role × feed table, every cell checked), what each person's
//! own feed carries and does not, deactivated accounts (however the pump meets the
//! deactivation), and stream tickets that are not
//! good (expired, of another type, an access token in the URL).

use std::time::Duration;

use api::auth::{Claims, TokenType};
use domain::Role;
use eventstore::EventStore;
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use uuid::Uuid;

use super::ends::fill;
use super::{Feed, Message};
use crate::helpers::{TestApp, TestUser, problem, spawn_app, spawn_app_with};

/// A school: a teacher's class with a published lesson and two students who started it,
/// one student's parent, and another teacher's draft.
struct School {
    class_teacher: TestUser,
    class: Uuid,
    published: Uuid,
    first: TestUser,
    second: TestUser,
    parent: TestUser,
    author: TestUser,
    draft: Uuid,
}

impl School {
    fn progress_of(&self, student: &TestUser) -> String {
        domain::ProgressId::for_student_lesson(
            domain::UserId::new(student.id),
            domain::LessonId::new(self.published),
        )
        .stream_id()
    }
}

async fn school(app: &TestApp) -> School {
    let room = app.classroom().await;
    let second = app.enlist(Role::Student).await;
    let parent = app.enlist(Role::Parent).await;
    app.expect_post(
        &format!("/v1/classes/{}/enrollments", room.class),
        &room.teacher,
        json!({ "student_id": second.id }),
        200,
    )
    .await;
    for student in [&room.student, &second] {
        let start = format!("/v1/progress/{}/start", room.lesson);
        let body = json!({ "class_id": room.class });
        let response = app.send(Method::POST, &start, student, Some(body)).await;
        assert_eq!(response.status(), 201);
    }
    app.admin_does(
        room.student.id,
        "parents",
        Some(json!({ "parent_id": parent.id })),
    )
    .await;
    let author = app.enlist(Role::Teacher).await;
    let draft = app.lesson_after(&author, &[]).await;
    School {
        class_teacher: room.teacher,
        class: room.class,
        published: room.lesson,
        first: room.student,
        second,
        parent,
        author,
        draft,
    }
}

#[tokio::test]
async fn each_role_opens_exactly_the_feeds_the_rest_reads_allow() {
    let app = spawn_app().await;
    let school = school(&app).await;
    let draft = format!("/v1/live/streams/lesson-{}", school.draft);
    let progress = format!("/v1/live/streams/{}", school.progress_of(&school.first));
    let class = format!("/v1/live/streams/class-{}", school.class);
    let other_teacher = app.user(Role::Teacher);
    let people: [(&str, TestUser); 10] = [
        ("admin", app.user(Role::Admin)),
        ("auditor", app.user(Role::Auditor)),
        ("analyst", app.user(Role::Analyst)),
        ("author", school.author.clone()),
        ("class teacher", school.class_teacher.clone()),
        ("other teacher", other_teacher),
        ("student", school.first.clone()),
        ("other student", school.second.clone()),
        ("parent", school.parent.clone()),
        ("agent", app.user(Role::Agent)),
    ];
    // log, the draft's stream, the first student's progress, the class, me.
    let expected: [[u16; 5]; 10] = [
        [200, 200, 200, 200, 200],
        [200, 200, 200, 200, 200],
        [403, 200, 200, 200, 200],
        [403, 200, 404, 404, 200],
        [403, 404, 200, 200, 200],
        [403, 404, 404, 404, 200],
        [403, 404, 200, 404, 200],
        [403, 404, 404, 404, 200],
        [403, 404, 200, 404, 200],
        [403, 404, 404, 404, 403],
    ];
    let feeds = ["/v1/live/log", &draft, &progress, &class, "/v1/live/me"];
    let mut got = Vec::new();
    for (who, user) in &people {
        let mut row = [0; 5];
        for (cell, feed) in row.iter_mut().zip(feeds) {
            *cell = app.feed_status(feed, user).await;
        }
        got.push((*who, row));
    }
    let want: Vec<_> = people.iter().map(|(who, _)| *who).zip(expected).collect();
    assert_eq!(got, want);
}

/// Everything `user`'s own feed carries from the beginning of the log (until it has been
/// quiet for a while).
async fn own_feed(app: &TestApp, user: &TestUser) -> Vec<Message> {
    let head = app.head().await;
    let mut me = app.feed("/v1/live/me?from=0", user).await;
    let mut messages = Vec::new();
    while let Ok(next) = tokio::time::timeout(Duration::from_millis(800), me.next()).await {
        let message = next.expect("the feed goes on");
        assert!(message.position() <= head, "nothing was appended meanwhile");
        messages.push(message);
    }
    messages
}

/// The streams of `messages`, sorted, each once.
fn streams(messages: &[Message]) -> Vec<String> {
    let mut streams: Vec<String> = messages
        .iter()
        .map(|m| m.json()["stream_id"].as_str().unwrap().to_owned())
        .collect();
    streams.sort();
    streams.dedup();
    streams
}

#[tokio::test]
async fn a_student_s_own_feed_has_their_progress_and_enrollment_and_nobody_else_s() {
    let app = spawn_app().await;
    let school = school(&app).await;
    let mine = own_feed(&app, &school.second).await;

    let class = format!("class-{}", school.class);
    let own_progress = school.progress_of(&school.second);
    let account = format!("user-{}", school.second.id);
    for message in &mine {
        let event = message.json();
        let stream = event["stream_id"].as_str().unwrap();
        assert!(
            [class.as_str(), own_progress.as_str(), account.as_str()].contains(&stream),
            "{stream} on another student's feed: {event}"
        );
        if stream == class {
            assert_eq!(message.event, "StudentEnrolled");
            assert_eq!(event["payload"]["student_id"], json!(school.second.id));
        }
    }
    let types: Vec<_> = mine.iter().map(|m| m.event.as_str()).collect();
    assert_eq!(
        types,
        ["UserRegistered", "StudentEnrolled", "ProgressStarted"]
    );
    assert_eq!(mine[0].json()["payload"]["password_hash"], "[redacted]");
}

#[tokio::test]
async fn a_teacher_s_own_feed_has_their_class_lessons_and_students_progress_not_others_drafts() {
    let app = spawn_app().await;
    let school = school(&app).await;
    let theirs = streams(&own_feed(&app, &school.class_teacher).await);
    let mut expected = vec![
        format!("user-{}", school.class_teacher.id),
        format!("class-{}", school.class),
        format!("lesson-{}", school.published),
        school.progress_of(&school.first),
        school.progress_of(&school.second),
    ];
    expected.sort();
    assert_eq!(theirs, expected);

    let author = streams(&own_feed(&app, &school.author).await);
    let mut expected = vec![
        format!("user-{}", school.author.id),
        format!("lesson-{}", school.draft),
    ];
    expected.sort();
    assert_eq!(author, expected);
}

#[tokio::test]
async fn a_deactivated_account_opens_no_feed_and_its_open_feed_ends() {
    let app = spawn_app().await;
    let student = app.enlist(Role::Student).await;
    let mut me = app.feed("/v1/live/me", &student).await;
    let mut models = app.feed("/v1/live/read-models", &student).await;
    app.admin_does(student.id, "deactivate", None).await;
    let end = me.until("revoked").await;
    assert_eq!(end.len(), 1, "{end:?}");
    assert!(me.next().await.is_none(), "the feed ends after `revoked`");
    let end = models.until("revoked").await;
    assert!(
        end.split_last()
            .unwrap()
            .1
            .iter()
            .all(|m| m.event == "checkpoint"),
        "{end:?}"
    );
    assert!(
        models.next().await.is_none(),
        "the feed ends after `revoked`"
    );

    for path in ["/v1/live/me", "/v1/live/read-models"] {
        let response =
            super::get_feed(&app.address, path, Some(&student), Default::default()).await;
        let body = problem(response, 403).await;
        assert_eq!(body["detail"], "the account is deactivated", "{path}");
    }
}

#[tokio::test]
async fn a_deactivation_the_catch_up_reads_from_the_store_ends_the_feed_too() {
    // The feed resumes far behind and its client reads nothing, so the pump is still
    // catching up from the store when the account is deactivated: the deactivation is
    // read from the store, not met on the hub. A `types=` filter that leaves
    // `UserDeactivated` out does not hide it.
    let app = spawn_app_with(|config| config.live_queue = 8).await;
    let store = EventStore::start(app.db.pool.clone()).await.unwrap();
    for path in ["/v1/live/log", "/v1/live/log?types=Filled"] {
        let auditor = app.enlist(Role::Auditor).await;
        let start = app.head().await;
        fill(&store, 5_000, 1_000).await;
        let mut headers = HeaderMap::new();
        headers.insert("last-event-id", start.to_string().parse().unwrap());
        let response = super::get_feed(&app.address, path, Some(&auditor), headers).await;
        assert_eq!(response.status(), 200);
        tokio::time::sleep(Duration::from_millis(300)).await;
        app.admin_does(auditor.id, "deactivate", None).await;

        let mut feed = Feed::from_response(response).await;
        let mut received = Vec::new();
        while let Some(message) = feed.next().await {
            received.push(message);
        }
        let (end, delivered) = received.split_last().expect("a last message");
        assert_eq!(end.event, "revoked", "{path}: {end:?}");
        assert_eq!(
            delivered.len(),
            5_000,
            "{path}: every event before the deactivation"
        );
        assert!(
            delivered.iter().all(|message| message.event == "Filled"),
            "{path}: the deactivation itself is not delivered"
        );
    }
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn claims(user: Uuid, typ: TokenType, exp: u64) -> Claims {
    Claims {
        sub: user,
        role: Role::Teacher,
        typ,
        exp,
        iat: now(),
        jti: Uuid::now_v7(),
        until: None,
    }
}

async fn with_ticket(app: &TestApp, ticket: &str) -> reqwest::Response {
    super::feed_client()
        .get(app.url(&format!("/v1/live/me?ticket={ticket}")))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn tickets_that_are_expired_or_of_another_kind_are_refused() {
    let app = spawn_app().await;
    let id = Uuid::now_v7();
    let expired = app.token_with(&claims(id, TokenType::Ticket, now() - 3_600));
    problem(with_ticket(&app, &expired).await, 401).await;

    let access = app.token_with(&claims(id, TokenType::Access, now() + 600));
    let body = problem(with_ticket(&app, &access).await, 401).await;
    assert!(
        body["detail"].as_str().unwrap().contains("ticket"),
        "{body}"
    );

    let ticket = app.token_with(&claims(id, TokenType::Ticket, now() + 600));
    let as_bearer = TestUser {
        id,
        token: ticket.clone(),
    };
    assert_eq!(app.feed_status("/v1/live/me", &as_bearer).await, 401);
    let response = app
        .post("/v1/live/tickets", &as_bearer)
        .send()
        .await
        .unwrap();
    problem(response, 401).await;
    let response = app.get("/v1/lessons", &as_bearer).send().await.unwrap();
    problem(response, 401).await;
    assert_eq!(with_ticket(&app, &ticket).await.status(), 200);
}

#[tokio::test]
async fn a_ticket_past_its_time_to_open_still_resumes_until_its_access_token_expires() {
    let app = spawn_app().await;
    let id = Uuid::now_v7();
    let ticket = |until: u64| {
        app.token_with(&Claims {
            until: Some(until),
            ..claims(id, TokenType::Ticket, now() - 120)
        })
    };
    let resume = |ticket: String| {
        let url = app.url(&format!("/v1/live/me?ticket={ticket}"));
        async move {
            super::feed_client()
                .get(url)
                .header("last-event-id", "0")
                .send()
                .await
                .unwrap()
        }
    };
    let current = ticket(now() + 600);
    problem(with_ticket(&app, &current).await, 401).await;
    assert_eq!(resume(current).await.status(), 200);
    problem(resume(ticket(now() - 60)).await, 401).await;
}

#[tokio::test]
async fn a_feed_ends_when_its_access_token_expires_with_where_to_resume() {
    let app = spawn_app().await;
    let id = Uuid::now_v7();
    let short = TestUser {
        id,
        token: app.token_with(&claims(id, TokenType::Access, now() + 2)),
    };
    let response = app.post("/v1/live/tickets", &short).send().await.unwrap();
    let ticket: Value = response.json().await.unwrap();
    assert!(ticket["expires_in"].as_u64().unwrap() <= 2);
    let mut me = app.feed("/v1/live/me", &short).await;
    let head = app.head().await;
    let end = me.expect().await;
    assert_eq!(end.event, "expired");
    assert_eq!(end.position(), head);
    assert_eq!(end.json()["resume_from"], head);
    assert!(me.next().await.is_none());
}
