//! Signing in (`POST /v1/auth/token`) and refreshing (`POST /v1/auth/refresh`).

use api::auth::TokenType;
use domain::Role;
use serde_json::{Value, json};

use crate::accounts::{PASSWORD, registration};
use crate::helpers::{TestUser, header, problem, problem_type, spawn_app};

#[tokio::test]
async fn the_first_admin_signs_in_and_its_token_registers_an_account() {
    let app = spawn_app().await;
    let account = app.first_admin("root").await;

    let pair = app.tokens_of(&account).await;

    assert_eq!(pair["token_type"], "Bearer");
    assert_eq!(pair["expires_in"], 900);
    let access = pair["access_token"].as_str().unwrap();
    let claims = app.keys.verify(access, TokenType::Access).unwrap();
    assert_eq!((claims.sub, claims.role), (account.id, Role::Admin));
    let admin = TestUser {
        id: account.id,
        token: access.to_owned(),
    };
    let registered = app
        .post("/v1/users", &admin)
        .json(&registration("ada", Role::Teacher))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), 201);
}

#[tokio::test]
async fn every_failed_sign_in_gets_the_same_401() {
    let app = spawn_app().await;
    let ada = app.register("ada", Role::Teacher).await;
    let gone = app.register("gone", Role::Teacher).await;
    app.admin_does(gone.id, "deactivate", None).await;

    let mut bodies = Vec::new();
    for (username, password) in [
        ("ada", "not the password at all"),
        ("nobody", PASSWORD),
        ("gone", PASSWORD),
        ("Not A Username!", PASSWORD),
        ("ada", "short"),
    ] {
        let response = app.sign_in(username, password).await;
        assert_eq!(
            header(&response, "www-authenticate"),
            "Bearer realm=\"lectern\""
        );
        bodies.push(problem(response, 401).await);
    }

    assert_eq!(bodies[0]["type"], problem_type("unauthorized"));
    assert_eq!(bodies[0]["detail"], "invalid credentials");
    assert!(bodies.iter().all(|body| *body == bodies[0]), "{bodies:#?}");
    assert_eq!(app.sign_in(&ada.username, PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn a_refresh_token_gets_a_new_pair_whose_access_token_works() {
    let app = spawn_app().await;
    let ada = app.register("ada", Role::Student).await;
    let first = app.tokens_of(&ada).await;

    let response = app.refresh(first["refresh_token"].as_str().unwrap()).await;

    assert_eq!(response.status(), 200);
    let pair: Value = response.json().await.unwrap();
    let position = app.project_users().await;
    let me = TestUser {
        id: ada.id,
        token: pair["access_token"].as_str().unwrap().to_owned(),
    };
    let profile = app
        .get(&format!("/v1/users/me?after={position}"), &me)
        .send()
        .await
        .unwrap();
    assert_eq!(profile.status(), 200);
    let profile: Value = profile.json().await.unwrap();
    assert_eq!(profile["username"], "ada");
}

#[tokio::test]
async fn a_refreshed_pair_carries_the_accounts_current_role() {
    let app = spawn_app().await;
    let ada = app.register("ada", Role::Student).await;
    let first = app.tokens_of(&ada).await;
    app.admin_does(ada.id, "role", Some(json!({ "role": "teacher" })))
        .await;

    let pair: Value = app
        .refresh(first["refresh_token"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();

    let access = pair["access_token"].as_str().unwrap();
    let claims = app.keys.verify(access, TokenType::Access).unwrap();
    assert_eq!(claims.role, Role::Teacher);
}

#[tokio::test]
async fn an_access_token_is_refused_at_refresh() {
    let app = spawn_app().await;
    let ada = app.register("ada", Role::Student).await;
    let pair = app.tokens_of(&ada).await;

    let response = app.refresh(pair["access_token"].as_str().unwrap()).await;

    let problem = problem(response, 401).await;
    assert_eq!(
        problem["detail"],
        "the token's type is `access`, not `refresh`"
    );
}

#[tokio::test]
async fn a_deactivated_accounts_refresh_token_is_refused() {
    let app = spawn_app().await;
    let ada = app.register("ada", Role::Student).await;
    let pair = app.tokens_of(&ada).await;
    app.admin_does(ada.id, "deactivate", None).await;

    let response = app.refresh(pair["refresh_token"].as_str().unwrap()).await;

    let problem = problem(response, 401).await;
    assert_eq!(
        problem["detail"],
        "the account of this refresh token is deactivated or does not exist"
    );
}

#[tokio::test]
async fn a_changed_password_replaces_the_old_one() {
    let app = spawn_app().await;
    let ada = app.register("ada", Role::Student).await;
    let me = app.signed_in(&ada).await;

    let changed = app
        .post(&format!("/v1/users/{}/password", ada.id), &me)
        .json(&json!({ "password": "a brand new passphrase" }))
        .send()
        .await
        .unwrap();

    assert_eq!(changed.status(), 200);
    problem(app.sign_in("ada", PASSWORD).await, 401).await;
    assert_eq!(
        app.sign_in("ada", "a brand new passphrase").await.status(),
        200
    );
}

#[tokio::test]
async fn a_sign_in_with_an_unknown_field_is_400_not_401() {
    let app = spawn_app().await;

    let response = app
        .client
        .post(app.url("/v1/auth/token"))
        .json(&json!({ "username": "ada", "password": PASSWORD, "otp": "123456" }))
        .send()
        .await
        .unwrap();

    assert_eq!(problem(response, 400).await["field"], "otp");
}
