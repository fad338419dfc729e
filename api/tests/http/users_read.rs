//! The user queries: who sees which account, filters and pages, read-your-writes, and no
//! password hash anywhere.

use std::collections::HashMap;

use domain::Role;
use projections::users::Users;
use serde_json::Value;

use crate::helpers::{header, problem, spawn_app};

#[tokio::test]
async fn an_account_never_shows_a_password_hash() {
    let app = spawn_app().await;
    let ada = app.register("ada", Role::Student).await;
    app.project_users().await;
    let me = app.signed_in(&ada).await;
    let admin = app.user(Role::Admin);

    for (path, user) in [
        (format!("/v1/users/{}", ada.id), &admin),
        ("/v1/users/me".to_owned(), &me),
        ("/v1/users".to_owned(), &admin),
    ] {
        let response = app.get(&path, user).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let body = response.text().await.unwrap();
        assert!(body.contains("\"username\":\"ada\""), "{path}: {body}");
        assert!(!body.contains("password"), "{path}: {body}");
        assert!(!body.contains("argon2"), "{path}: {body}");
    }
}

#[tokio::test]
async fn a_query_after_a_commands_position_waits_for_the_accounts() {
    let app = spawn_app().await;
    let ada = app.register("ada", Role::Student).await;
    app.project_users().await;
    let changed = app
        .admin_does(
            ada.id,
            "role",
            Some(serde_json::json!({ "role": "teacher" })),
        )
        .await;
    let position = changed["position"].as_i64().unwrap();
    let admin = app.user(Role::Admin);

    let query = tokio::spawn(
        app.get(&format!("/v1/users/{}?after={position}", ada.id), &admin)
            .send(),
    );
    projections::advance_to(&app.db.pool, &Users, position)
        .await
        .unwrap();
    let response = query.await.unwrap().unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "etag"), "\"2\"");
    let reached: i64 = header(&response, "lectern-position").parse().unwrap();
    assert!(reached >= position);
    let account: Value = response.json().await.unwrap();
    assert_eq!(account["role"], "teacher");
}

#[tokio::test]
async fn a_list_after_a_registration_includes_it() {
    let app = spawn_app().await;
    app.register("ada", Role::Student).await;
    let head = eventstore::read::head(&app.db.pool).await.unwrap();
    let analyst = app.user(Role::Analyst);

    let query = tokio::spawn(app.get(&format!("/v1/users?after={head}"), &analyst).send());
    app.project_users().await;
    let response = query.await.unwrap().unwrap();

    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.unwrap();
    assert_eq!(page["users"][0]["username"], "ada");
}

#[tokio::test]
async fn accounts_are_listed_by_role_state_and_username_prefix_a_page_at_a_time() {
    let app = spawn_app().await;
    let mut ids = HashMap::new();
    for (name, role) in [
        ("ada", Role::Student),
        ("adam", Role::Student),
        ("adele", Role::Student),
        ("bob", Role::Student),
        ("adrian", Role::Teacher),
    ] {
        ids.insert(name, app.register(name, role).await.id);
    }
    app.admin_does(ids["adam"], "deactivate", None).await;
    app.project_users().await;
    let admin = app.user(Role::Admin);
    let names = |page: &Value| -> Vec<String> {
        page["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["username"].as_str().unwrap().to_owned())
            .collect()
    };
    let list = |query: String| {
        let request = app.get(&format!("/v1/users?{query}"), &admin);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200, "{query}");
            response.json::<Value>().await.unwrap()
        }
    };

    let students = list("role=student&active=true&username_prefix=ad".into()).await;
    assert_eq!(names(&students), ["ada", "adele"]);
    let first = list("username_prefix=ad&limit=2".into()).await;
    assert_eq!(names(&first), ["ada", "adam"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = list(format!("username_prefix=ad&limit=2&cursor={cursor}")).await;
    assert_eq!(names(&second), ["adele", "adrian"]);
    let deactivated = list("active=false".into()).await;
    assert_eq!(names(&deactivated), ["adam"]);
}

#[tokio::test]
async fn others_cannot_see_an_account_or_list_them() {
    let app = spawn_app().await;
    let ada = app.register("ada", Role::Student).await;
    let grace = app.register("grace", Role::Student).await;
    app.project_users().await;
    let as_ada = app.signed_in(&ada).await;

    let own = app
        .get(&format!("/v1/users/{}", ada.id), &as_ada)
        .send()
        .await
        .unwrap();
    let other = app
        .get(&format!("/v1/users/{}", grace.id), &as_ada)
        .send()
        .await
        .unwrap();
    let teacher = app.user(Role::Teacher);
    let listed = app.get("/v1/users", &teacher).send().await.unwrap();
    let analysed = app
        .get(&format!("/v1/users/{}", grace.id), &app.user(Role::Analyst))
        .send()
        .await
        .unwrap();

    assert_eq!(own.status(), 200);
    assert_eq!(header(&own, "etag"), "\"1\"");
    problem(other, 404).await;
    problem(listed, 403).await;
    assert_eq!(analysed.status(), 200);
}

#[tokio::test]
async fn an_invalid_id_or_limit_is_400_naming_it() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin);

    let id = app.get("/v1/users/ada", &admin).send().await.unwrap();
    let limit = app.get("/v1/users?limit=0", &admin).send().await.unwrap();
    let role = app.get("/v1/users?role=root", &admin).send().await.unwrap();

    assert_eq!(problem(id, 400).await["field"], "user_id");
    assert_eq!(problem(limit, 400).await["field"], "limit");
    assert_eq!(problem(role, 400).await["field"], "role");
}
