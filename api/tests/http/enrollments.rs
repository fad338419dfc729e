//! Enrollments under pressure: a crowd racing for the seats of one class, and a client's
//! retries (`Idempotency-Key`) and pinned versions (`If-Match`).

use domain::Role;
use projections::classes::RosterFilter;
use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::helpers::{header, problem, problem_type, spawn_app};

/// Half the crowd goes to a second API process, so the two race for the seats in the
/// store (each process queues its own half in the class's lane).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_enrollments_into_thirty_seats_seat_exactly_thirty() {
    let app = spawn_app().await;
    let replica = app.replica().await;
    let teacher = app.enlist(Role::Teacher).await;
    let class = app.create_class(&teacher, 30).await;
    let students = app.enlist_many(Role::Student, 100).await;
    let path = format!("/v1/classes/{class}/enrollments");
    let urls = [app.url(&path), format!("{}{path}", replica.address)];

    let mut enrollments = JoinSet::new();
    for (n, student) in students.into_iter().enumerate() {
        let request = app
            .client
            .post(&urls[n % 2])
            .bearer_auth(&teacher.token)
            .json(&json!({ "student_id": student.id }));
        enrollments.spawn(async move {
            let response = request.send().await.expect("a response");
            let status = response.status().as_u16();
            let body: Value = response.json().await.expect("JSON");
            (status, body)
        });
    }
    let (mut seated, mut full) = (0, 0);
    while let Some(done) = enrollments.join_next().await {
        let (status, body) = done.expect("the request task");
        match status {
            200 => seated += 1,
            422 if body["rule"] == "class-is-full" => full += 1,
            other => panic!("an enrollment answered {other}: {body}"),
        }
    }

    assert_eq!((seated, full), (30, 70));
    let (version, state) = app.class_state(class).await;
    assert_eq!(state.enrolled_count(), 30);
    assert_eq!(version, 31, "the creation and thirty enrollments");
    app.project_classes().await;
    let roster = projections::classes::roster(
        &app.db.pool,
        class,
        &RosterFilter {
            after: None,
            limit: 500,
        },
    )
    .await
    .unwrap();
    assert_eq!(roster.members.len(), 30);
    let row = projections::classes::get(&app.db.pool, class)
        .await
        .unwrap()
        .expect("the class row");
    assert_eq!((row.student_count, row.seats_left), (30, 0));
}

#[tokio::test]
async fn a_retried_enrollment_with_its_key_returns_the_first_response() {
    let app = spawn_app().await;
    let room = app.classroom().await;
    let student = app.enlist(Role::Student).await;
    let enroll = || {
        app.post(
            &format!("/v1/classes/{}/enrollments", room.class),
            &room.teacher,
        )
        .header("idempotency-key", "enroll-ada")
        .json(&json!({ "student_id": student.id }))
        .send()
    };

    let first = enroll().await.unwrap();
    assert_eq!(first.status(), 200);
    let first_body: Value = first.json().await.unwrap();
    let again = enroll().await.unwrap();

    assert_eq!(again.status(), 200, "not student-already-enrolled");
    assert_eq!(header(&again, "idempotent-replayed"), "true");
    assert_eq!(again.json::<Value>().await.unwrap(), first_body);
    assert_eq!(app.class_state(room.class).await.1.enrolled_count(), 2);
}

#[tokio::test]
async fn an_enrollment_pinned_to_a_version_the_class_has_left_is_412() {
    let app = spawn_app().await;
    let room = app.classroom().await;
    let (version, _) = app.class_state(room.class).await;
    let student = app.enlist(Role::Student).await;
    let enroll = |etag: String| {
        app.post(
            &format!("/v1/classes/{}/enrollments", room.class),
            &room.teacher,
        )
        .header("if-match", etag)
        .json(&json!({ "student_id": student.id }))
        .send()
    };

    let stale = enroll(format!("\"{}\"", version - 1)).await.unwrap();
    assert_eq!(
        problem(stale, 412).await["type"],
        problem_type("version-conflict")
    );
    let current = enroll(format!("\"{version}\"")).await.unwrap();

    assert_eq!(current.status(), 200);
    assert_eq!(header(&current, "etag"), format!("\"{}\"", version + 1));
}
