//! The lesson routes' success paths and who sees which lesson.

use domain::Role;
use serde_json::{Value, json};

use crate::helpers::{header, photosynthesis, problem, spawn_app};

#[tokio::test]
async fn drafting_a_lesson_answers_201_with_location_etag_and_position() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);

    let response = app
        .post("/v1/lessons", &teacher)
        .json(&photosynthesis())
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 201);
    assert_eq!(header(&response, "etag"), "\"1\"");
    let location = header(&response, "location");
    let body: Value = response.json().await.unwrap();
    let stream = body["stream_id"].as_str().unwrap();
    let id = stream.strip_prefix("lesson-").unwrap();
    assert_eq!(location, format!("/v1/lessons/{id}"));
    assert_eq!(body["version"], 1);
    assert_eq!(body["position"], 1);
    assert_eq!(body["event_ids"].as_array().unwrap().len(), 1);
    let events = app.events_of(id.parse().unwrap()).await;
    assert_eq!(events[0].event_type, "LessonDrafted");
    assert_eq!(events[0].payload["author"], teacher.id.to_string());
}

#[tokio::test]
async fn a_client_may_choose_the_lessons_id() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let chosen = uuid::Uuid::now_v7();
    let mut body = photosynthesis();
    body["lesson_id"] = json!(chosen);

    let (id, _) = app.draft_lesson(&teacher, body).await;

    assert_eq!(id, chosen);
}

#[tokio::test]
async fn a_lesson_goes_from_draft_to_archive_one_command_at_a_time() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let admin = app.user(Role::Admin);
    let (id, _) = app.draft_lesson(&teacher, photosynthesis()).await;

    let revised = app
        .request(
            reqwest::Method::PATCH,
            &format!("/v1/lessons/{id}"),
            &teacher,
        )
        .json(&json!({ "title": "Photosynthesis, revised", "grade_level": 8 }))
        .send()
        .await
        .unwrap();
    assert_eq!(revised.status(), 200);
    assert_eq!(header(&revised, "etag"), "\"2\"");

    let steps = [
        ("submit", &teacher, None),
        ("approve", &admin, None),
        ("publish", &admin, None),
        ("archive", &admin, Some(json!({ "reason": "superseded" }))),
    ];
    for (version, (step, user, body)) in (3..).zip(steps) {
        let mut request = app.post(&format!("/v1/lessons/{id}/{step}"), user);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200, "{step}");
        assert_eq!(
            header(&response, "etag"),
            format!("\"{version}\""),
            "{step}"
        );
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["version"], version, "{step}");
        assert_eq!(body["position"], version, "{step}");
    }

    let types: Vec<String> = app
        .events_of(id)
        .await
        .into_iter()
        .map(|e| e.event_type)
        .collect();
    assert_eq!(
        types,
        [
            "LessonDrafted",
            "LessonRevised",
            "LessonSubmittedForReview",
            "LessonApproved",
            "LessonPublished",
            "LessonArchived"
        ]
    );
    let events = app.events_of(id).await;
    assert_eq!(events[3].payload["reviewer"], admin.id.to_string());
    assert_eq!(events[5].payload["reason"], "superseded");
}

#[tokio::test]
async fn a_lesson_reads_back_with_its_etag_and_the_catalogs_position() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let (id, _) = app.draft_lesson(&teacher, photosynthesis()).await;
    let position = app.project().await;

    let response = app
        .get(&format!("/v1/lessons/{id}"), &teacher)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "etag"), "\"1\"");
    assert_eq!(header(&response, "lectern-position"), position.to_string());
    let lesson: Value = response.json().await.unwrap();
    assert_eq!(lesson["lesson_id"], id.to_string());
    assert_eq!(lesson["title"], "Photosynthesis");
    assert_eq!(lesson["status"], "draft");
    assert_eq!(lesson["grade_level"], 7);
    assert_eq!(lesson["author_id"], teacher.id.to_string());
    assert_eq!(lesson["content"]["sections"][0]["heading"], "Light");
}

#[tokio::test]
async fn the_catalog_filters_by_subject_grade_status_and_title_and_pages_by_cursor() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let admin = app.user(Role::Admin);
    for (title, subject, grade) in [
        ("Fractions", "Math", 5),
        ("Decimals", "Math", 5),
        ("Algebra", "Math", 8),
        ("Volcanoes", "Science", 5),
    ] {
        let body = json!({ "title": title, "subject": subject, "grade_level": grade });
        app.draft_lesson(&teacher, body).await;
    }
    app.project().await;

    let titles = |body: &Value| -> Vec<String> {
        body["lessons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let list = |query: &'static str| {
        let request = app.get(&format!("/v1/lessons?{query}"), &admin);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200, "{query}");
            assert!(response.headers().contains_key("lectern-position"));
            response.json::<Value>().await.unwrap()
        }
    };

    assert_eq!(
        titles(&list("subject=Math&grade=5").await),
        ["Fractions", "Decimals"]
    );
    assert_eq!(titles(&list("q=ALG").await), ["Algebra"]);
    assert_eq!(
        titles(&list("status=draft&subject=Science").await),
        ["Volcanoes"]
    );
    assert!(titles(&list("status=published").await).is_empty());

    let first = list("limit=3").await;
    assert_eq!(titles(&first), ["Fractions", "Decimals", "Algebra"]);
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    let second = app
        .get(&format!("/v1/lessons?limit=3&cursor={cursor}"), &admin)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(titles(&second), ["Volcanoes"]);
    assert!(second["next_cursor"].is_null());
}

#[tokio::test]
async fn students_see_published_lessons_only_and_authors_see_their_own_drafts() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let student = app.user(Role::Student);
    let published = app
        .lesson_after(&teacher, &["submit", "approve", "publish"])
        .await;
    let draft = app.lesson_after(&teacher, &[]).await;
    app.project().await;

    let listed: Value = app
        .get("/v1/lessons", &student)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = listed["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["lesson_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [published.to_string()]);

    let hidden = app
        .get(&format!("/v1/lessons/{draft}"), &student)
        .send()
        .await
        .unwrap();
    problem(hidden, 404).await;
    let drafts = app
        .get("/v1/lessons?status=draft", &student)
        .send()
        .await
        .unwrap();
    problem(drafts, 403).await;

    let own = app
        .get(&format!("/v1/lessons/{draft}"), &teacher)
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200);
    let other_teacher = app.user(Role::Teacher);
    let not_theirs = app
        .get(&format!("/v1/lessons/{draft}"), &other_teacher)
        .send()
        .await
        .unwrap();
    problem(not_theirs, 404).await;
}
