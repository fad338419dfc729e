//! The analytics routes: the aggregate read models after real commands, read with
//! `?after=<position>`; who may read them; their parameters; their OpenAPI entries.

use chrono::{Days, Utc};
use domain::{AgentName, ContentRequestEvent, DomainEvent, Role};
use eventstore::{Append, EventStore, ExpectedVersion, NewEvent, StreamId};
use projections::analytics::agent_performance::AgentPerformance;
use projections::analytics::class_dashboard::ClassDashboard;
use projections::analytics::daily_activity::DailyActivity;
use projections::analytics::lesson_funnel::LessonFunnel;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::classrooms::Classroom;
use crate::helpers::{TestApp, TestUser, header, problem, spawn_app};

const ROUTES: [&str; 5] = [
    "/v1/analytics/lesson-funnel",
    "/v1/analytics/lesson-funnel/by-subject-grade",
    "/v1/analytics/class-dashboard",
    "/v1/analytics/daily-activity",
    "/v1/analytics/agent-performance",
];

/// A classroom whose student started the lesson and got 40 % and 10 XP through it; the
/// position of the last command.
async fn lesson_in_progress(app: &TestApp) -> (Classroom, i64) {
    let room = app.classroom().await;
    let lesson = format!("/v1/progress/{}", room.lesson);
    app.expect_post(
        &format!("{lesson}/start"),
        &room.student,
        json!({ "class_id": room.class }),
        201,
    )
    .await;
    let recorded = app
        .expect_post(
            &lesson,
            &room.student,
            json!({ "completion": 40, "xp_earned": 10 }),
            200,
        )
        .await;
    let position = recorded["position"].as_i64().expect("a position");
    (room, position)
}

/// Agent steps on a content request's stream, in the stored form the agent pipeline
/// records them in; the position of the last.
async fn agent_steps(app: &TestApp, steps: &[(&str, bool, u64)]) -> i64 {
    let store = EventStore::start(app.db.pool.clone())
        .await
        .expect("the event store starts");
    let events = steps
        .iter()
        .map(|(agent, succeeded, duration_ms)| {
            let agent = AgentName::parse(agent).expect("an agent");
            let event = if *succeeded {
                ContentRequestEvent::AgentStepCompleted {
                    agent,
                    attempt: 1,
                    output: json!({}),
                    duration_ms: *duration_ms,
                    provider: "offline".into(),
                    model: "template".into(),
                    usage: None,
                }
            } else {
                ContentRequestEvent::AgentStepFailed {
                    agent,
                    attempt: 1,
                    reason: "timed out".into(),
                    duration_ms: *duration_ms,
                    provider: None,
                }
            };
            let mut new = NewEvent::new(event.event_type(), event.to_payload());
            new.schema_version = event.schema_version();
            new
        })
        .collect();
    let stream = StreamId::new("content", Uuid::now_v7()).expect("a stream id");
    store
        .append(Append::new(stream, ExpectedVersion::Any, events))
        .await
        .expect("the steps are appended")
        .last_position
}

/// Let the four analytics read models apply the whole log.
async fn project_analytics(app: &TestApp) -> i64 {
    let pool = &app.db.pool;
    let head = eventstore::read::head(pool).await.expect("the head");
    projections::advance_to(pool, &LessonFunnel, head)
        .await
        .expect("the lesson funnel applies the log");
    projections::advance_to(pool, &ClassDashboard, head)
        .await
        .expect("the class dashboard applies the log");
    projections::advance_to(pool, &DailyActivity, head)
        .await
        .expect("the daily activity applies the log");
    projections::advance_to(pool, &AgentPerformance, head)
        .await
        .expect("the agent performance applies the log");
    head
}

/// `GET path` as `user`, expecting 200 with a `Lectern-Position` of at least `position`.
async fn read(app: &TestApp, path: &str, user: &TestUser, position: i64) -> Value {
    let separator = if path.contains('?') { '&' } else { '?' };
    let response = app
        .get(&format!("{path}{separator}after={position}"), user)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    let reached: i64 = header(&response, "lectern-position").parse().unwrap();
    assert!(reached >= position, "{path}: {reached} < {position}");
    response.json().await.unwrap()
}

#[tokio::test]
async fn an_analyst_reads_the_figures_of_real_commands_after_their_position() {
    let app = spawn_app().await;
    let (room, recorded) = lesson_in_progress(&app).await;
    let stepped = agent_steps(
        &app,
        &[
            ("content", true, 100),
            ("content", false, 300),
            ("review", true, 50),
        ],
    )
    .await;
    let position = recorded.max(stepped);
    // The query goes out before the models have applied the log; the projection follows.
    let analyst = app.user(Role::Analyst);
    let waiting = tokio::spawn(
        app.get(
            &format!("/v1/analytics/lesson-funnel?after={position}"),
            &analyst,
        )
        .send(),
    );
    project_analytics(&app).await;
    let early = waiting.await.unwrap().unwrap();
    assert_eq!(early.status(), 200);
    let early: Value = early.json().await.unwrap();
    assert_eq!(early["lessons"][0]["started"], 1);

    let funnel = read(
        &app,
        "/v1/analytics/lesson-funnel?subject=Science&grade=7",
        &analyst,
        position,
    )
    .await;
    assert_eq!(
        funnel["lessons"],
        json!([{
            "lesson_id": room.lesson, "subject": "Science", "grade_level": 7,
            "started": 1, "completed": 0, "average_completion": 40.0, "average_xp": 10.0,
        }])
    );
    assert_eq!(funnel["next_cursor"], Value::Null);
    let other = read(
        &app,
        "/v1/analytics/lesson-funnel?subject=History",
        &analyst,
        position,
    )
    .await;
    assert_eq!(other["lessons"], json!([]));

    let groups = read(
        &app,
        "/v1/analytics/lesson-funnel/by-subject-grade",
        &analyst,
        position,
    )
    .await;
    assert_eq!(
        groups["groups"],
        json!([{
            "subject": "Science", "grade_level": 7, "lessons": 1, "started": 1,
            "completed": 0, "average_completion": 40.0, "average_xp": 10.0,
        }])
    );

    let dashboard = read(&app, "/v1/analytics/class-dashboard", &analyst, position).await;
    let class = &dashboard["classes"][0];
    assert_eq!(dashboard["classes"].as_array().unwrap().len(), 1);
    assert_eq!(class["class_id"], room.class.to_string());
    assert_eq!(class["teacher_id"], room.teacher.id.to_string());
    assert_eq!(class["students"], 1);
    assert_eq!(class["started"], 1);
    assert_eq!(class["average_completion"], 40.0);
    assert_eq!(class["total_xp"], 10);
    assert!(class["last_activity_at"].is_string());

    let today = Utc::now().date_naive();
    let (from, to) = (
        today.checked_sub_days(Days::new(1)).unwrap(),
        today.checked_add_days(Days::new(1)).unwrap(),
    );
    let activity = read(
        &app,
        &format!("/v1/analytics/daily-activity?from={from}&to={to}&event_type=ProgressRecorded"),
        &analyst,
        position,
    )
    .await;
    let rows = activity["activity"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{activity}");
    assert_eq!(rows[0]["subject"], "Science");
    assert_eq!(rows[0]["grade_level"], 7);
    assert_eq!(rows[0]["events"], 1);
    let long_ago = read(
        &app,
        "/v1/analytics/daily-activity?to=2000-01-01",
        &analyst,
        position,
    )
    .await;
    assert_eq!(long_ago["activity"], json!([]));

    let agents = read(
        &app,
        &format!("/v1/analytics/agent-performance?from={from}&to={to}"),
        &analyst,
        position,
    )
    .await;
    assert_eq!(
        agents["agents"],
        json!([
            { "agent": "content", "runs": 2, "successes": 1, "failures": 1,
              "p50_ms": 200.0, "p95_ms": 290.0 },
            { "agent": "review", "runs": 1, "successes": 1, "failures": 0,
              "p50_ms": 50.0, "p95_ms": 50.0 },
        ])
    );
    let content = read(
        &app,
        "/v1/analytics/agent-performance?agent=content&to=2000-01-01",
        &analyst,
        position,
    )
    .await;
    assert_eq!(content["agents"], json!([]));
}

#[tokio::test]
async fn an_admin_reads_every_route_and_students_and_parents_get_403() {
    let app = spawn_app().await;
    project_analytics(&app).await;
    let admin = app.user(Role::Admin);
    for path in ROUTES {
        let response = app.get(path, &admin).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
    for role in [Role::Student, Role::Parent] {
        let user = app.user(role);
        for path in ROUTES {
            let response = app.get(path, &user).send().await.unwrap();
            problem(response, 403).await;
        }
    }
}

#[tokio::test]
async fn a_teacher_reads_only_their_own_classes_dashboard() {
    let app = spawn_app().await;
    let (room, position) = lesson_in_progress(&app).await;
    let other_class = app.classroom().await;
    project_analytics(&app).await;

    let own = read(
        &app,
        "/v1/analytics/class-dashboard",
        &room.teacher,
        position,
    )
    .await;
    let classes = own["classes"].as_array().unwrap();
    assert_eq!(classes.len(), 1, "{own}");
    assert_eq!(classes[0]["class_id"], room.class.to_string());

    let named = app
        .get(
            &format!(
                "/v1/analytics/class-dashboard?teacher_id={}",
                other_class.teacher.id
            ),
            &room.teacher,
        )
        .send()
        .await
        .unwrap();
    problem(named, 403).await;
    let other = read(
        &app,
        &format!(
            "/v1/analytics/class-dashboard?class_id={}",
            other_class.class
        ),
        &room.teacher,
        position,
    )
    .await;
    assert_eq!(other["classes"], json!([]));
    for path in ROUTES.iter().filter(|p| !p.ends_with("class-dashboard")) {
        let response = app.get(path, &room.teacher).send().await.unwrap();
        problem(response, 403).await;
    }
}

#[tokio::test]
async fn a_bad_parameter_is_400_naming_it() {
    let app = spawn_app().await;
    let analyst = app.user(Role::Analyst);
    for (path, field) in [
        ("/v1/analytics/daily-activity?from=yesterday", "from"),
        ("/v1/analytics/daily-activity?to=2026-02-30", "to"),
        (
            "/v1/analytics/daily-activity?from=2026-02-02&to=2026-02-01",
            "to",
        ),
        ("/v1/analytics/agent-performance?from=2026-1-x", "from"),
        ("/v1/analytics/lesson-funnel?grade=13", "grade"),
        ("/v1/analytics/lesson-funnel?limit=0", "limit"),
        (
            "/v1/analytics/class-dashboard?teacher_id=nope",
            "teacher_id",
        ),
        ("/v1/analytics/class-dashboard?colour=red", "colour"),
        ("/v1/analytics/agent-performance?after=-1", "after"),
    ] {
        let response = app.get(path, &analyst).send().await.unwrap();
        let problem = problem(response, 400).await;
        assert_eq!(problem["field"], field, "{path}: {problem}");
    }
}

#[tokio::test]
async fn the_openapi_document_has_the_analytics_routes() {
    let app = spawn_app().await;

    let document = app.openapi().await;

    for path in ROUTES {
        let get = &document["paths"][path]["get"];
        assert!(get["responses"]["200"].is_object(), "{path}");
        assert!(get["responses"]["403"].is_object(), "{path}");
        assert_eq!(get["tags"], json!(["analytics"]), "{path}");
        let params: Vec<&str> = get["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert!(params.contains(&"after"), "{path}: {params:?}");
    }
    let params = &document["paths"]["/v1/analytics/daily-activity"]["get"]["parameters"];
    let names: Vec<&str> = params
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in ["from", "to", "subject", "grade", "event_type"] {
        assert!(names.contains(&name), "{name}: {names:?}");
    }
}
