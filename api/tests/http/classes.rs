//! The class routes: success paths, whose class it is, and the rules' problems.

use domain::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::classrooms::class_body;
use crate::helpers::{header, problem, problem_type, spawn_app};

#[tokio::test]
async fn a_teacher_creates_a_class_for_themself_with_201_location_and_etag() {
    let app = spawn_app().await;
    let teacher = app.enlist(Role::Teacher).await;

    let response = app
        .send(Method::POST, "/v1/classes", &teacher, Some(class_body(30)))
        .await;

    assert_eq!(response.status(), 201);
    assert_eq!(header(&response, "etag"), "\"1\"");
    let location = header(&response, "location");
    let body: Value = response.json().await.unwrap();
    let stream = body["stream_id"].as_str().unwrap();
    let id = stream.strip_prefix("class-").unwrap();
    assert_eq!(location, format!("/v1/classes/{id}"));
    let events = app.stream_events(stream).await;
    assert_eq!(events[0].event_type, "ClassCreated");
    assert_eq!(events[0].payload["teacher_id"], teacher.id.to_string());
    assert_eq!(events[0].payload["max_students"], 30);
}

#[tokio::test]
async fn an_admin_creates_a_class_for_the_teacher_they_name() {
    let app = spawn_app().await;
    let teacher = app.enlist(Role::Teacher).await;
    let mut body = class_body(30);
    body["teacher_id"] = json!(teacher.id);

    let created = app
        .expect_post("/v1/classes", &app.user(Role::Admin), body, 201)
        .await;

    let events = app
        .stream_events(created["stream_id"].as_str().unwrap())
        .await;
    assert_eq!(events[0].payload["teacher_id"], teacher.id.to_string());
}

#[tokio::test]
async fn a_teacher_cannot_create_a_class_for_another_teacher() {
    let app = spawn_app().await;
    let teacher = app.enlist(Role::Teacher).await;
    let other = app.enlist(Role::Teacher).await;
    let mut body = class_body(30);
    body["teacher_id"] = json!(other.id);

    let response = app
        .send(Method::POST, "/v1/classes", &teacher, Some(body))
        .await;

    let problem = problem(response, 403).await;
    assert_eq!(problem["type"], problem_type("forbidden"));
}

#[tokio::test]
async fn a_class_needs_an_active_teacher() {
    let app = spawn_app().await;
    let student = app.enlist(Role::Student).await;
    let mut body = class_body(30);
    body["teacher_id"] = json!(student.id);

    let response = app
        .send(
            Method::POST,
            "/v1/classes",
            &app.user(Role::Admin),
            Some(body),
        )
        .await;

    let problem = problem(response, 422).await;
    assert_eq!(problem["rule"], "not-an-active-teacher");
    assert_eq!(problem["type"], problem_type("not-an-active-teacher"));
}

#[tokio::test]
async fn a_capacity_out_of_range_names_the_field() {
    let app = spawn_app().await;
    let teacher = app.enlist(Role::Teacher).await;

    let response = app
        .send(Method::POST, "/v1/classes", &teacher, Some(class_body(501)))
        .await;

    let problem = problem(response, 400).await;
    assert_eq!(problem["field"], "max_students");
}

#[tokio::test]
async fn a_teacher_enrolls_and_unenrolls_a_student_of_their_class() {
    let app = spawn_app().await;
    let room = app.classroom().await;
    let (_, class) = app.class_state(room.class).await;
    assert!(class.is_enrolled(room.student.id.into()));

    let path = format!("/v1/classes/{}/enrollments/{}", room.class, room.student.id);
    let response = app.send(Method::DELETE, &path, &room.teacher, None).await;

    assert_eq!(response.status(), 200);
    let (version, class) = app.class_state(room.class).await;
    assert_eq!(header(&response, "etag"), format!("\"{version}\""));
    assert!(!class.is_enrolled(room.student.id.into()));
    let again = app.send(Method::DELETE, &path, &room.teacher, None).await;
    assert_eq!(problem(again, 422).await["rule"], "student-not-enrolled");
}

#[tokio::test]
async fn a_teacher_cannot_enroll_into_another_teachers_class() {
    let app = spawn_app().await;
    let room = app.classroom().await;
    let intruder = app.enlist(Role::Teacher).await;
    let student = app.enlist(Role::Student).await;
    let (before, _) = app.class_state(room.class).await;

    let response = app
        .send(
            Method::POST,
            &format!("/v1/classes/{}/enrollments", room.class),
            &intruder,
            Some(json!({ "student_id": student.id })),
        )
        .await;

    let problem = problem(response, 403).await;
    assert_eq!(problem["type"], problem_type("forbidden"));
    assert_eq!(
        app.class_state(room.class).await.0,
        before,
        "nothing appended"
    );
}

#[tokio::test]
async fn another_teacher_manages_none_of_the_class_but_an_admin_manages_it_all() {
    let app = spawn_app().await;
    let room = app.classroom().await;
    let intruder = app.enlist(Role::Teacher).await;
    let admin = app.user(Role::Admin);
    let class = format!("/v1/classes/{}", room.class);
    let student = format!("{class}/enrollments/{}", room.student.id);
    let lesson = format!("{class}/lessons/{}", room.lesson);
    let archive = format!("{class}/archive");
    let routes = [
        (Method::DELETE, student.as_str()),
        (Method::DELETE, lesson.as_str()),
        (Method::POST, archive.as_str()),
    ];

    for (method, path) in &routes {
        let response = app.send(method.clone(), path, &intruder, None).await;
        assert_eq!(
            problem(response, 403).await["type"],
            problem_type("forbidden")
        );
    }
    for (method, path) in &routes {
        let response = app.send(method.clone(), path, &admin, None).await;
        assert_eq!(
            response.status(),
            200,
            "{path}: {:?}",
            response.text().await
        );
    }
}

#[tokio::test]
async fn only_published_lessons_are_assigned_and_an_assigned_one_can_be_unassigned() {
    let app = spawn_app().await;
    let teacher = app.enlist(Role::Teacher).await;
    let class = app.create_class(&teacher, 30).await;
    let draft = app.lesson_after(&teacher, &[]).await;
    let published = app.published_lesson(&teacher).await;
    let lessons = format!("/v1/classes/{class}/lessons");

    let refused = app
        .send(
            Method::POST,
            &lessons,
            &teacher,
            Some(json!({ "lesson_id": draft })),
        )
        .await;
    assert_eq!(problem(refused, 422).await["rule"], "lesson-not-published");
    app.expect_post(&lessons, &teacher, json!({ "lesson_id": published }), 200)
        .await;
    assert!(app.class_state(class).await.1.has_lesson(published.into()));

    let unassigned = app
        .send(
            Method::DELETE,
            &format!("{lessons}/{published}"),
            &teacher,
            None,
        )
        .await;

    assert_eq!(unassigned.status(), 200);
    assert!(!app.class_state(class).await.1.has_lesson(published.into()));
}

#[tokio::test]
async fn only_an_active_student_is_enrolled() {
    let app = spawn_app().await;
    let teacher = app.enlist(Role::Teacher).await;
    let class = app.create_class(&teacher, 30).await;
    let enrollments = format!("/v1/classes/{class}/enrollments");

    for not_a_student in [teacher.id, uuid::Uuid::now_v7()] {
        let response = app
            .send(
                Method::POST,
                &enrollments,
                &teacher,
                Some(json!({ "student_id": not_a_student })),
            )
            .await;
        assert_eq!(
            problem(response, 422).await["rule"],
            "not-an-active-student"
        );
    }
}

#[tokio::test]
async fn an_archived_class_takes_no_more_students() {
    let app = spawn_app().await;
    let room = app.classroom().await;
    let class = format!("/v1/classes/{}", room.class);
    let student = app.enlist(Role::Student).await;

    let archived = app
        .send(
            Method::POST,
            &format!("{class}/archive"),
            &room.teacher,
            None,
        )
        .await;
    assert_eq!(archived.status(), 200);
    let response = app
        .send(
            Method::POST,
            &format!("{class}/enrollments"),
            &room.teacher,
            Some(json!({ "student_id": student.id })),
        )
        .await;

    assert_eq!(problem(response, 422).await["rule"], "class-archived");
    assert!(app.class_state(room.class).await.1.is_archived());
}

#[tokio::test]
async fn a_class_that_was_never_created_is_404() {
    let app = spawn_app().await;
    let teacher = app.enlist(Role::Teacher).await;
    let student = app.enlist(Role::Student).await;

    let response = app
        .send(
            Method::POST,
            &format!("/v1/classes/{}/enrollments", uuid::Uuid::now_v7()),
            &teacher,
            Some(json!({ "student_id": student.id })),
        )
        .await;

    let problem = problem(response, 404).await;
    assert_eq!(problem["rule"], "class-not-found");
}

#[tokio::test]
async fn students_and_parents_manage_no_class() {
    let app = spawn_app().await;
    let room = app.classroom().await;

    for role in [Role::Student, Role::Parent] {
        let response = app
            .send(
                Method::POST,
                &format!("/v1/classes/{}/archive", room.class),
                &app.user(role),
                None,
            )
            .await;
        assert_eq!(
            problem(response, 403).await["type"],
            problem_type("forbidden")
        );
    }
}
