//! The progress queries: a student's own, a linked parent's child's, and nobody else's.

use domain::Role;
use serde_json::{Value, json};

use crate::helpers::{header, problem, spawn_app};

#[tokio::test]
async fn a_student_reads_their_own_progress() {
    let app = spawn_app().await;
    let room = app.classroom().await;
    let progress = format!("/v1/progress/{}", room.lesson);
    app.expect_post(
        &format!("{progress}/start"),
        &room.student,
        json!({ "class_id": room.class }),
        201,
    )
    .await;
    app.expect_post(
        &progress,
        &room.student,
        json!({ "completion": 40, "xp_earned": 10 }),
        200,
    )
    .await;
    app.project_school().await;

    let one = app.get(&progress, &room.student).send().await.unwrap();
    assert_eq!(one.status(), 200);
    assert_eq!(header(&one, "etag"), "\"2\"");
    let one: Value = one.json().await.unwrap();
    assert_eq!(
        (one["completion"].as_i64(), one["total_xp"].as_i64()),
        (Some(40), Some(10))
    );
    let mine: Value = app
        .get("/v1/progress?status=in_progress", &room.student)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mine["progress"].as_array().unwrap().len(), 1);
    let other_lesson = app
        .get(
            &format!("/v1/progress/{}", uuid::Uuid::now_v7()),
            &room.student,
        )
        .send()
        .await
        .unwrap();
    problem(other_lesson, 404).await;
}

#[tokio::test]
async fn a_linked_parent_reads_their_childs_progress_and_an_unlinked_parent_cannot() {
    let app = spawn_app().await;
    let room = app.classroom().await;
    app.expect_post(
        &format!("/v1/progress/{}/start", room.lesson),
        &room.student,
        json!({ "class_id": room.class }),
        201,
    )
    .await;
    let parent = app.enlist(Role::Parent).await;
    let stranger = app.enlist(Role::Parent).await;
    app.admin_does(
        room.student.id,
        "parents",
        Some(json!({ "parent_id": parent.id })),
    )
    .await;
    app.project_school().await;
    let path = format!("/v1/students/{}/progress", room.student.id);

    let linked = app.get(&path, &parent).send().await.unwrap();
    assert_eq!(linked.status(), 200);
    let linked: Value = linked.json().await.unwrap();
    assert_eq!(linked["progress"][0]["lesson_id"], room.lesson.to_string());

    let unlinked = app.get(&path, &stranger).send().await.unwrap();
    problem(unlinked, 404).await;
    let classmate = app.enlist(Role::Student).await;
    problem(app.get(&path, &classmate).send().await.unwrap(), 404).await;
    problem(app.get(&path, &room.teacher).send().await.unwrap(), 403).await;
    let analyst = app
        .get(&path, &app.user(Role::Analyst))
        .send()
        .await
        .unwrap();
    assert_eq!(analyst.status(), 200);
    let own = app.get(&path, &room.student).send().await.unwrap();
    assert_eq!(own.status(), 200);
}
