//! The user commands: registration with unique usernames and emails, roles, deactivation,
//! passwords, a student's parents.

use domain::Role;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::accounts::registration;
use crate::helpers::{header, problem, problem_type, spawn_app};

#[tokio::test]
async fn registering_answers_201_with_location_and_records_who_did_it() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin);

    let response = app
        .post("/v1/users", &admin)
        .header("x-request-id", "register-ada")
        .json(&registration("ada", Role::Teacher))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 201);
    assert_eq!(header(&response, "etag"), "\"1\"");
    let location = header(&response, "location");
    let body: Value = response.json().await.unwrap();
    let id: Uuid = body["stream_id"]
        .as_str()
        .unwrap()
        .strip_prefix("user-")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(location, format!("/v1/users/{id}"));
    let events = app.user_events(id).await;
    assert_eq!(events[0].event_type, "UserRegistered");
    assert_eq!(events[0].payload["role"], "teacher");
    let hash = events[0].payload["password_hash"].as_str().unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    let metadata = &events[0].metadata;
    assert_eq!(metadata.actor_id, Some(admin.id));
    assert_eq!(metadata.actor_role.as_deref(), Some("admin"));
    assert_eq!(metadata.correlation_id.as_deref(), Some("register-ada"));
}

#[tokio::test]
async fn a_client_chosen_id_and_an_idempotency_key_give_one_account() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin);
    let chosen = Uuid::now_v7();
    let mut body = registration("ada", Role::Student);
    body["user_id"] = json!(chosen);

    let mut answers = Vec::new();
    for _ in 0..2 {
        let response = app
            .post("/v1/users", &admin)
            .header("idempotency-key", "ada-once")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        answers.push(header(&response, "location"));
    }

    assert_eq!(answers, vec![format!("/v1/users/{chosen}"); 2]);
    assert_eq!(app.user_events(chosen).await.len(), 1);
}

#[tokio::test]
async fn a_taken_username_is_409_naming_username() {
    let app = spawn_app().await;
    app.register("ada", Role::Teacher).await;
    let mut again = registration("ada", Role::Student);
    again["email"] = json!("someone.else@example.org");

    let response = app
        .post("/v1/users", &app.user(Role::Admin))
        .json(&again)
        .send()
        .await
        .unwrap();

    let problem = problem(response, 409).await;
    assert_eq!(problem["type"], problem_type("already-taken"));
    assert_eq!(problem["field"], "username");
    assert_eq!(problem["detail"], "username `ada` is already taken");
}

#[tokio::test]
async fn a_taken_email_in_any_case_is_409_naming_email() {
    let app = spawn_app().await;
    app.register("ada", Role::Teacher).await;
    let mut again = registration("lovelace", Role::Student);
    again["email"] = json!("ADA@Example.org");

    let response = app
        .post("/v1/users", &app.user(Role::Admin))
        .json(&again)
        .send()
        .await
        .unwrap();

    let problem = problem(response, 409).await;
    assert_eq!(problem["field"], "email");
    assert_eq!(
        problem["detail"],
        "email `ada@example.org` is already taken"
    );
}

#[tokio::test]
async fn invalid_registrations_are_400_naming_the_field() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin);
    let cases = [
        ("password", json!("too short")),
        ("username", json!("Ada Lovelace")),
        ("email", json!("ada.example.org")),
        ("display_name", json!("   ")),
        ("role", json!("root")),
        ("shoe_size", json!(42)),
    ];

    for (field, value) in cases {
        let mut body = registration("ada", Role::Student);
        body[field] = value;
        let response = app
            .post("/v1/users", &admin)
            .json(&body)
            .send()
            .await
            .unwrap();
        let problem = problem(response, 400).await;
        assert_eq!(problem["type"], problem_type("invalid-field"), "{field}");
        assert_eq!(problem["field"], field, "{problem}");
    }
}

#[tokio::test]
async fn a_short_password_is_400_with_the_rule_in_the_detail() {
    let app = spawn_app().await;
    let mut body = registration("ada", Role::Student);
    body["password"] = json!("too short");

    let response = app
        .post("/v1/users", &app.user(Role::Admin))
        .json(&body)
        .send()
        .await
        .unwrap();

    let problem = problem(response, 400).await;
    assert_eq!(problem["field"], "password");
    assert_eq!(
        problem["detail"],
        "password: password must be 12–1024 characters (got 9)"
    );
}

#[tokio::test]
async fn only_an_admin_registers_accounts_or_changes_roles() {
    let app = spawn_app().await;
    let ada = app.register("ada", Role::Student).await;
    let teacher = app.user(Role::Teacher);

    let register = app
        .post("/v1/users", &teacher)
        .json(&registration("grace", Role::Admin))
        .send()
        .await
        .unwrap();
    problem(register, 403).await;
    let promote = app
        .post(&format!("/v1/users/{}/role", ada.id), &teacher)
        .json(&json!({ "role": "admin" }))
        .send()
        .await
        .unwrap();
    let refused = problem(promote, 403).await;
    assert_eq!(
        refused["detail"],
        "the role `teacher` lacks the permission `manage:users`"
    );

    let changed = app
        .admin_does(ada.id, "role", Some(json!({ "role": "teacher" })))
        .await;
    assert_eq!(changed["version"], 2);
    let events = app.user_events(ada.id).await;
    assert_eq!(events[1].event_type, "UserRoleChanged");
    assert_eq!(events[1].payload["role"], "teacher");
}

#[tokio::test]
async fn a_deactivated_account_is_reactivated_and_signs_in_again() {
    let app = spawn_app().await;
    let ada = app.register("ada", Role::Student).await;
    app.admin_does(ada.id, "deactivate", None).await;

    let again = app
        .post(
            &format!("/v1/users/{}/deactivate", ada.id),
            &app.user(Role::Admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem(again, 422).await["type"],
        problem_type("user-already-deactivated")
    );
    app.admin_does(ada.id, "reactivate", None).await;

    assert_eq!(app.tokens_of(&ada).await["token_type"], "Bearer");
}

#[tokio::test]
async fn an_account_changes_its_own_password_but_not_anothers() {
    let app = spawn_app().await;
    let ada = app.register("ada", Role::Student).await;
    let grace = app.register("grace", Role::Teacher).await;
    let me = app.signed_in(&ada).await;
    let new_password = json!({ "password": "another long passphrase" });

    let own = app
        .post(&format!("/v1/users/{}/password", ada.id), &me)
        .json(&new_password)
        .send()
        .await
        .unwrap();
    let other = app
        .post(&format!("/v1/users/{}/password", grace.id), &me)
        .json(&new_password)
        .send()
        .await
        .unwrap();

    assert_eq!(own.status(), 200);
    problem(other, 403).await;
    app.admin_does(grace.id, "password", Some(new_password))
        .await;
    assert_eq!(
        app.sign_in("grace", "another long passphrase")
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_parent_is_linked_to_a_student_and_sees_the_child() {
    let app = spawn_app().await;
    let child = app.register("kid", Role::Student).await;
    let parent = app.register("mum", Role::Parent).await;

    let linked = app
        .admin_does(child.id, "parents", Some(json!({ "parent_id": parent.id })))
        .await;

    let position = linked["position"].as_i64().unwrap();
    app.project_users().await;
    let mum = app.signed_in(&parent).await;
    let seen = app
        .get(&format!("/v1/users/{}?after={position}", child.id), &mum)
        .send()
        .await
        .unwrap();
    assert_eq!(seen.status(), 200);
    let seen: Value = seen.json().await.unwrap();
    assert_eq!(seen["parent_ids"], json!([parent.id]));
}

#[tokio::test]
async fn linking_an_account_that_is_not_an_active_parent_is_422_not_a_parent() {
    let app = spawn_app().await;
    let child = app.register("kid", Role::Student).await;
    let teacher = app.register("sir", Role::Teacher).await;
    let gone = app.register("gone", Role::Parent).await;
    app.admin_does(gone.id, "deactivate", None).await;

    for (parent, detail) in [
        (
            teacher.id,
            format!("user {} is a teacher, not a parent", teacher.id),
        ),
        (
            gone.id,
            format!(
                "user {} is deactivated and cannot be linked as a parent",
                gone.id
            ),
        ),
        (Uuid::now_v7(), String::new()),
    ] {
        let response = app
            .post(
                &format!("/v1/users/{}/parents", child.id),
                &app.user(Role::Admin),
            )
            .json(&json!({ "parent_id": parent }))
            .send()
            .await
            .unwrap();
        let problem = problem(response, 422).await;
        assert_eq!(problem["type"], problem_type("not-a-parent"));
        assert_eq!(problem["rule"], "not-a-parent");
        if !detail.is_empty() {
            assert_eq!(problem["detail"], detail);
        }
    }
    assert_eq!(app.user_events(child.id).await.len(), 1);
}

#[tokio::test]
async fn linking_a_parent_to_an_account_that_is_not_a_student_is_422_not_a_student() {
    let app = spawn_app().await;
    let teacher = app.register("sir", Role::Teacher).await;
    let parent = app.register("mum", Role::Parent).await;

    let response = app
        .post(
            &format!("/v1/users/{}/parents", teacher.id),
            &app.user(Role::Admin),
        )
        .json(&json!({ "parent_id": parent.id }))
        .send()
        .await
        .unwrap();

    let problem = problem(response, 422).await;
    assert_eq!(problem["type"], problem_type("not-a-student"));
    assert_eq!(problem["detail"], "the user is a teacher, not a student");
}

#[tokio::test]
async fn a_command_on_an_account_that_does_not_exist_is_404() {
    let app = spawn_app().await;

    let response = app
        .post(
            &format!("/v1/users/{}/deactivate", Uuid::now_v7()),
            &app.user(Role::Admin),
        )
        .send()
        .await
        .unwrap();

    assert_eq!(problem(response, 404).await["rule"], "user-not-found");
}

#[tokio::test]
async fn the_openapi_document_has_the_token_and_user_routes() {
    let app = spawn_app().await;

    let document = app.openapi().await;

    let paths = document["paths"].as_object().unwrap();
    for path in [
        "/v1/auth/token",
        "/v1/auth/refresh",
        "/v1/users",
        "/v1/users/me",
        "/v1/users/{id}",
        "/v1/users/{id}/role",
        "/v1/users/{id}/deactivate",
        "/v1/users/{id}/reactivate",
        "/v1/users/{id}/password",
        "/v1/users/{id}/parents",
    ] {
        assert!(paths.contains_key(path), "{path} is missing");
    }
    assert!(paths["/v1/auth/token"]["post"].get("security").is_none());
    let register = &document["components"]["schemas"]["RegisterUser"];
    assert_eq!(register["properties"]["role"]["enum"][0], "student");
    let view = &document["components"]["schemas"]["UserView"]["properties"];
    assert!(view.get("password_hash").is_none());
}
