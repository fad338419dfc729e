//! Security-relevant events are in the log for auditors: sign-ins (successful and
//! failed), refused token refreshes, role changes, deactivations and parent links, each
//! with its actor (none for a refusal), its time, and the request's `X-Request-Id` as the
//! correlation id; and never a password or a token.

use std::time::{SystemTime, UNIX_EPOCH};

use api::auth::{Claims, TokenType};
use chrono::Utc;
use domain::{Role, SignInRecord, Username};
use eventstore::{LogFilter, RecordedEvent};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::accounts::PASSWORD;
use crate::helpers::{TestApp, problem, spawn_app};

const WRONG_PASSWORD: &str = "not the password at all";

impl TestApp {
    /// `POST /v1/auth/token` with `X-Request-Id: request_id`.
    async fn sign_in_as_request(
        &self,
        request_id: &str,
        username: &str,
        password: &str,
    ) -> reqwest::Response {
        self.client
            .post(self.url("/v1/auth/token"))
            .header("x-request-id", request_id)
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("a response")
    }

    /// `POST /v1/auth/refresh` with `X-Request-Id: request_id`.
    async fn refresh_as_request(&self, request_id: &str, token: &str) -> reqwest::Response {
        self.client
            .post(self.url("/v1/auth/refresh"))
            .header("x-request-id", request_id)
            .json(&json!({ "refresh_token": token }))
            .send()
            .await
            .expect("a response")
    }

    /// Every event of category `signin`, in log order.
    async fn sign_in_events(&self) -> Vec<RecordedEvent> {
        eventstore::read::log(&self.db.pool, 0, &LogFilter::categories(["signin"]), 1_000)
            .await
            .expect("the log")
    }

    /// The one event of the log whose correlation id is `request_id`.
    async fn event_of_request(&self, request_id: &str) -> RecordedEvent {
        let events = eventstore::read::log(&self.db.pool, 0, &LogFilter::all(), 10_000)
            .await
            .expect("the log");
        let mut matching: Vec<RecordedEvent> = events
            .into_iter()
            .filter(|e| e.metadata.correlation_id.as_deref() == Some(request_id))
            .collect();
        assert_eq!(matching.len(), 1, "events of request {request_id}");
        matching.remove(0)
    }
}

/// Recorded by this test run, a moment ago.
fn assert_recorded_just_now(event: &RecordedEvent) {
    let age = Utc::now() - event.recorded_at;
    assert!(
        age >= chrono::Duration::zero() - chrono::Duration::seconds(5)
            && age < chrono::Duration::seconds(60),
        "recorded at {}",
        event.recorded_at
    );
}

fn assert_no_secret_in(events: &[RecordedEvent], secrets: &[&str]) {
    for event in events {
        let text = format!("{} {:?}", event.payload, event.metadata);
        for secret in secrets {
            assert!(
                !text.contains(secret),
                "{} holds a secret: {text}",
                event.event_type
            );
        }
    }
}

#[tokio::test]
async fn a_sign_in_is_recorded_with_the_account_as_actor_the_time_and_the_request_id() {
    let app = spawn_app().await;
    let ada = app.register("ada", Role::Teacher).await;

    let response = app.sign_in_as_request("sign-in-1", "ada", PASSWORD).await;

    assert_eq!(response.status(), 200);
    let pair: Value = response.json().await.unwrap();
    let event = app.event_of_request("sign-in-1").await;
    assert_eq!(event.stream_id, format!("signin-{}", ada.id));
    assert_eq!(event.event_type, "SignedIn");
    assert_eq!(event.payload, json!({ "user_id": ada.id }));
    assert_eq!(event.metadata.actor_id, Some(ada.id));
    assert_eq!(event.metadata.actor_role.as_deref(), Some("teacher"));
    assert_recorded_just_now(&event);
    let tokens = [
        pair["access_token"].as_str().unwrap(),
        pair["refresh_token"].as_str().unwrap(),
    ];
    assert_no_secret_in(
        &app.sign_in_events().await,
        &[PASSWORD, tokens[0], tokens[1]],
    );
}

#[tokio::test]
async fn every_failed_sign_in_is_recorded_without_an_actor_and_answers_the_same_401() {
    let app = spawn_app().await;
    let ada = app.register("ada", Role::Teacher).await;
    let gone = app.register("gone", Role::Student).await;
    app.admin_does(gone.id, "deactivate", None).await;

    let mut bodies = Vec::new();
    for (request_id, username, password) in [
        ("unknown", "nobody", PASSWORD),
        ("wrong", "ada", WRONG_PASSWORD),
        ("deactivated", "gone", PASSWORD),
        ("not-a-name", "Not A Username!", PASSWORD),
        ("short", "ada", "short"),
    ] {
        let response = app.sign_in_as_request(request_id, username, password).await;
        bodies.push(problem(response, 401).await);
    }
    assert!(bodies.iter().all(|body| *body == bodies[0]), "{bodies:#?}");

    let nobody = Username::parse("nobody").unwrap();
    for (request_id, stream, payload) in [
        (
            "unknown",
            SignInRecord::stream_of_unknown_username(&nobody),
            json!({ "username": "nobody", "user_id": null, "reason": "unknown_user" }),
        ),
        (
            "wrong",
            ada.id,
            json!({ "username": "ada", "user_id": ada.id, "reason": "wrong_password" }),
        ),
        (
            "deactivated",
            gone.id,
            json!({ "username": "gone", "user_id": gone.id, "reason": "deactivated" }),
        ),
        (
            "short",
            ada.id,
            json!({ "username": "ada", "user_id": ada.id, "reason": "wrong_password" }),
        ),
    ] {
        let event = app.event_of_request(request_id).await;
        assert_eq!(event.event_type, "SignInFailed", "{request_id}");
        assert_eq!(event.stream_id, format!("signin-{stream}"), "{request_id}");
        assert_eq!(event.payload, payload, "{request_id}");
        assert_eq!(event.metadata.actor_id, None, "{request_id}");
        assert_eq!(event.metadata.actor_role, None, "{request_id}");
        assert_recorded_just_now(&event);
    }
    // What was typed as a username is not kept when it is not one; its stream is its own.
    let malformed = app.event_of_request("not-a-name").await;
    assert_eq!(
        malformed.payload,
        json!({ "username": null, "user_id": null, "reason": "unknown_user" })
    );
    assert_eq!(
        Uuid::parse_str(&malformed.stream_id["signin-".len()..])
            .unwrap()
            .get_version_num(),
        7
    );
    assert_no_secret_in(
        &app.sign_in_events().await,
        &[PASSWORD, WRONG_PASSWORD, "Not A Username!"],
    );
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test]
async fn every_refused_refresh_is_recorded_with_the_reason_and_the_tokens_account() {
    let app = spawn_app().await;
    let ada = app.register("ada", Role::Student).await;
    let pair = app.tokens_of(&ada).await;
    let access = pair["access_token"].as_str().unwrap().to_owned();
    let refresh = pair["refresh_token"].as_str().unwrap().to_owned();
    let expired = app.token_with(&Claims {
        sub: ada.id,
        role: Role::Student,
        typ: TokenType::Refresh,
        exp: unix_now() - 3_600,
        iat: unix_now() - 7_200,
        jti: Uuid::now_v7(),
        until: None,
    });
    let stranger = Uuid::now_v7();
    let of_nobody = app
        .keys
        .issue(stranger, Role::Student, TokenType::Refresh)
        .unwrap();
    let forged = crate::helpers::keys_for(&"x".repeat(32))
        .issue(ada.id, Role::Admin, TokenType::Refresh)
        .unwrap();

    for (request_id, token) in [
        ("access", access.as_str()),
        ("expired", expired.as_str()),
        ("forged", forged.as_str()),
        ("garbage", "not a token"),
        ("nobody", of_nobody.as_str()),
    ] {
        problem(app.refresh_as_request(request_id, token).await, 401).await;
    }
    app.admin_does(ada.id, "deactivate", None).await;
    problem(app.refresh_as_request("deactivated", &refresh).await, 401).await;

    for (request_id, user_id, reason) in [
        ("access", Some(ada.id), "not_a_refresh_token"),
        ("expired", Some(ada.id), "expired"),
        ("forged", None, "invalid_token"),
        ("garbage", None, "invalid_token"),
        ("nobody", Some(stranger), "unknown_user"),
        ("deactivated", Some(ada.id), "deactivated"),
    ] {
        let event = app.event_of_request(request_id).await;
        assert_eq!(event.event_type, "TokenRefreshRefused", "{request_id}");
        assert_eq!(
            event.payload,
            json!({ "user_id": user_id, "reason": reason }),
            "{request_id}"
        );
        if let Some(user_id) = user_id {
            assert_eq!(event.stream_id, format!("signin-{user_id}"), "{request_id}");
        }
        assert_eq!(event.metadata.actor_id, None, "{request_id}");
        assert_recorded_just_now(&event);
    }
    assert_no_secret_in(
        &app.sign_in_events().await,
        &[&access, &refresh, &expired, &forged, &of_nobody],
    );
}

#[tokio::test]
async fn a_successful_refresh_records_nothing() {
    let app = spawn_app().await;
    let ada = app.register("ada", Role::Student).await;
    let pair = app.tokens_of(&ada).await;
    let before = app.sign_in_events().await.len();

    let response = app
        .refresh_as_request("fine", pair["refresh_token"].as_str().unwrap())
        .await;

    assert_eq!(response.status(), 200);
    assert_eq!(app.sign_in_events().await.len(), before);
}

#[tokio::test]
async fn role_changes_deactivations_and_parent_links_record_the_admin_the_time_and_the_request_id()
{
    let app = spawn_app().await;
    let child = app.register("child", Role::Student).await;
    let parent = app.register("parent", Role::Parent).await;
    let other = app.register("other", Role::Teacher).await;
    let admin = app.user(Role::Admin);
    let as_admin = |path: String, request_id: &'static str, body: Option<Value>| {
        let mut request = app.post(&path, &admin).header("x-request-id", request_id);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send()
    };

    for response in [
        as_admin(
            format!("/v1/users/{}/parents", child.id),
            "link-1",
            Some(json!({ "parent_id": parent.id })),
        )
        .await,
        as_admin(
            format!("/v1/users/{}/role", other.id),
            "role-1",
            Some(json!({ "role": "admin" })),
        )
        .await,
        as_admin(format!("/v1/users/{}/deactivate", other.id), "off-1", None).await,
    ] {
        assert_eq!(response.unwrap().status(), 200);
    }

    for (request_id, stream, event_type, payload) in [
        (
            "link-1",
            child.id,
            "ParentLinked",
            json!({ "parent_id": parent.id }),
        ),
        (
            "role-1",
            other.id,
            "UserRoleChanged",
            json!({ "previous_role": "teacher", "role": "admin" }),
        ),
        ("off-1", other.id, "UserDeactivated", json!({})),
    ] {
        let event = app.event_of_request(request_id).await;
        assert_eq!(event.stream_id, format!("user-{stream}"), "{request_id}");
        assert_eq!(event.event_type, event_type);
        assert_eq!(event.payload, payload);
        assert_eq!(event.metadata.actor_id, Some(admin.id), "{request_id}");
        assert_eq!(event.metadata.actor_role.as_deref(), Some("admin"));
        assert_recorded_just_now(&event);
    }
}

#[tokio::test]
async fn the_read_models_apply_a_log_with_sign_in_events_in_it() {
    let app = spawn_app().await;
    let ada = app.register("ada", Role::Student).await;
    app.tokens_of(&ada).await;
    problem(app.sign_in("nobody", PASSWORD).await, 401).await;
    problem(app.refresh("not a token").await, 401).await;
    let head = eventstore::read::head(&app.db.pool).await.unwrap();
    assert_eq!(app.sign_in_events().await.len(), 3);

    macro_rules! applies_the_log {
        ($($projection:expr),+ $(,)?) => {$(
            let reached = projections::advance_to(&app.db.pool, &$projection, head).await;
            assert_eq!(reached.unwrap(), head, "{}", stringify!($projection));
        )+};
    }
    applies_the_log!(
        projections::lessons::Lessons,
        projections::users::Users,
        projections::parent_links::ParentLinks,
        projections::classes::Classes,
        projections::content_requests::ContentRequests,
        projections::student_progress::StudentProgress,
        projections::analytics::lesson_funnel::LessonFunnel,
        projections::analytics::agent_performance::AgentPerformance,
        projections::analytics::class_dashboard::ClassDashboard,
        projections::analytics::daily_activity::DailyActivity,
    );
}
