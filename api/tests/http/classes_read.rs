//! The class queries: a teacher's own classes, rosters and progress; analysts see all.

use domain::Role;
use projections::classes::Classes;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{header, problem, spawn_app};

#[tokio::test]
async fn a_teacher_sees_their_class_its_roster_and_its_progress() {
    let app = spawn_app().await;
    let room = app.classroom().await;
    app.expect_post(
        &format!("/v1/progress/{}/start", room.lesson),
        &room.student,
        json!({ "class_id": room.class }),
        201,
    )
    .await;
    app.project_school().await;
    let class = format!("/v1/classes/{}", room.class);

    let response = app.get(&class, &room.teacher).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let (version, _) = app.class_state(room.class).await;
    assert_eq!(header(&response, "etag"), format!("\"{version}\""));
    let view: Value = response.json().await.unwrap();
    assert_eq!(view["student_count"], 1);
    assert_eq!(view["seats_left"], 29);
    assert_eq!(view["lesson_ids"], json!([room.lesson]));

    let roster: Value = app
        .get(&format!("{class}/students"), &room.teacher)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        roster["students"][0]["student_id"],
        room.student.id.to_string()
    );
    let progress: Value = app
        .get(&format!("{class}/progress"), &room.teacher)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        progress["progress"][0]["lesson_id"],
        room.lesson.to_string()
    );
    assert_eq!(progress["progress"][0]["status"], "in_progress");
}

#[tokio::test]
async fn another_teacher_finds_no_such_class_and_an_analyst_sees_it_all() {
    let app = spawn_app().await;
    let room = app.classroom().await;
    app.project_school().await;
    let intruder = app.enlist(Role::Teacher).await;
    let analyst = app.user(Role::Analyst);
    let class = format!("/v1/classes/{}", room.class);

    for path in [
        class.clone(),
        format!("{class}/students"),
        format!("{class}/progress"),
    ] {
        let hidden = app.get(&path, &intruder).send().await.unwrap();
        problem(hidden, 404).await;
        let seen = app.get(&path, &analyst).send().await.unwrap();
        assert_eq!(seen.status(), 200, "{path}");
    }
}

#[tokio::test]
async fn a_teacher_lists_only_their_own_classes() {
    let app = spawn_app().await;
    let ada = app.enlist(Role::Teacher).await;
    let bob = app.enlist(Role::Teacher).await;
    let adas = app.create_class(&ada, 20).await;
    app.create_class(&bob, 20).await;
    app.project_classes().await;
    let ids = |list: &Value| -> Vec<String> {
        list["classes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|class| class["class_id"].as_str().unwrap().to_owned())
            .collect()
    };

    let own: Value = app
        .get("/v1/classes", &ada)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&own), [adas.to_string()]);
    let bobs = app
        .get(&format!("/v1/classes?teacher_id={}", bob.id), &ada)
        .send()
        .await
        .unwrap();
    problem(bobs, 403).await;
    let analyst = app.user(Role::Analyst);
    let all: Value = app
        .get("/v1/classes", &analyst)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&all).len(), 2);
    let by_ada: Value = app
        .get(
            &format!("/v1/classes?teacher_id={}&grade=7", ada.id),
            &analyst,
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&by_ada), [adas.to_string()]);
    let by_student = app
        .get("/v1/classes", &app.user(Role::Student))
        .send()
        .await
        .unwrap();
    problem(by_student, 403).await;
}

#[tokio::test]
async fn a_roster_read_after_an_enrollment_waits_for_it() {
    let app = spawn_app().await;
    let teacher = app.enlist(Role::Teacher).await;
    let student = app.enlist(Role::Student).await;
    let class = app.create_class(&teacher, 20).await;
    app.project_classes().await;
    let enrolled = app
        .send(
            Method::POST,
            &format!("/v1/classes/{class}/enrollments"),
            &teacher,
            Some(json!({ "student_id": student.id })),
        )
        .await;
    let position = enrolled.json::<Value>().await.unwrap()["position"]
        .as_i64()
        .unwrap();

    let query = tokio::spawn(
        app.get(
            &format!("/v1/classes/{class}/students?after={position}"),
            &teacher,
        )
        .send(),
    );
    projections::advance_to(&app.db.pool, &Classes, position)
        .await
        .unwrap();
    let response = query.await.unwrap().unwrap();

    assert_eq!(response.status(), 200);
    let reached: i64 = header(&response, "lectern-position").parse().unwrap();
    assert!(reached >= position);
    let roster: Value = response.json().await.unwrap();
    assert_eq!(roster["students"][0]["student_id"], student.id.to_string());
}
