//! Tokens (401) and roles (403).

use std::time::{SystemTime, UNIX_EPOCH};

use api::auth::{Claims, TokenType};
use domain::Role;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use secrecy::ExposeSecret;
use uuid::Uuid;

use crate::helpers::{
    TestApp, TestUser, header, keys_for, photosynthesis, problem, problem_type, spawn_app,
};

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn claims(typ: TokenType, exp: u64) -> Claims {
    Claims {
        sub: Uuid::now_v7(),
        role: Role::Admin,
        typ,
        exp,
        iat: now(),
        jti: Uuid::now_v7(),
        until: None,
    }
}

fn with_token(token: String) -> TestUser {
    TestUser {
        id: Uuid::now_v7(),
        token,
    }
}

/// Drafting with `token`: the problem of a 401, after checking the challenge.
async fn refused(app: &TestApp, token: String) -> serde_json::Value {
    let response = app
        .post("/v1/lessons", &with_token(token))
        .json(&photosynthesis())
        .send()
        .await
        .unwrap();
    let challenge = header(&response, "www-authenticate");
    assert!(
        challenge.starts_with("Bearer realm=\"lectern\", error=\"invalid_token\""),
        "{challenge}"
    );
    let problem = problem(response, 401).await;
    assert_eq!(problem["type"], problem_type("unauthorized"));
    problem
}

fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, b| n << 8 | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

#[tokio::test]
async fn a_request_without_a_token_is_401_with_a_bearer_challenge() {
    let app = spawn_app().await;

    let response = app
        .client
        .post(app.url("/v1/lessons"))
        .json(&photosynthesis())
        .send()
        .await
        .unwrap();

    assert_eq!(
        header(&response, "www-authenticate"),
        "Bearer realm=\"lectern\""
    );
    problem(response, 401).await;
}

#[tokio::test]
async fn an_expired_token_is_401() {
    let app = spawn_app().await;
    let token = app.token_with(&claims(TokenType::Access, now() - 3600));

    let problem = refused(&app, token).await;

    assert_eq!(problem["detail"], "the token has expired");
}

#[tokio::test]
async fn a_token_signed_with_another_key_is_401() {
    let app = spawn_app().await;
    let forger = keys_for("a-secret-that-is-not-the-servers-but-is-long");
    let token = forger
        .issue(Uuid::now_v7(), Role::Admin, TokenType::Access)
        .unwrap();

    let problem = refused(&app, token).await;

    assert_eq!(problem["detail"], "the token's signature is not valid");
}

#[tokio::test]
async fn an_unsigned_alg_none_token_is_401() {
    let app = spawn_app().await;
    let header = base64url(br#"{"alg":"none","typ":"JWT"}"#);
    let claims = serde_json::to_vec(&claims(TokenType::Access, now() + 600)).unwrap();
    let token = format!("{header}.{}.", base64url(&claims));

    refused(&app, token).await;
}

#[tokio::test]
async fn a_token_signed_with_another_algorithm_is_401() {
    let app = spawn_app().await;
    let token = jsonwebtoken::encode(
        &Header::new(Algorithm::HS512),
        &claims(TokenType::Access, now() + 600),
        &EncodingKey::from_secret(app.config.jwt_secret.expose_secret().as_bytes()),
    )
    .unwrap();

    let problem = refused(&app, token).await;

    assert_eq!(
        problem["detail"],
        "the token is signed with an algorithm other than HS256"
    );
}

#[tokio::test]
async fn a_refresh_token_does_not_authenticate_a_request() {
    let app = spawn_app().await;
    let token = app.token_with(&claims(TokenType::Refresh, now() + 600));

    refused(&app, token).await;
}

#[tokio::test]
async fn a_student_may_not_draft_a_lesson() {
    let app = spawn_app().await;
    let student = app.user(Role::Student);

    let response = app
        .post("/v1/lessons", &student)
        .json(&photosynthesis())
        .send()
        .await
        .unwrap();

    let problem = problem(response, 403).await;
    assert_eq!(problem["type"], problem_type("forbidden"));
    assert_eq!(
        problem["detail"],
        "the role `student` lacks the permission `create:content`"
    );
}

#[tokio::test]
async fn a_teacher_may_not_approve_or_publish_even_their_own_lesson() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let id = app.lesson_after(&teacher, &["submit"]).await;

    for step in ["approve", "publish", "archive"] {
        let response = app
            .post(&format!("/v1/lessons/{id}/{step}"), &teacher)
            .send()
            .await
            .unwrap();
        problem(response, 403).await;
    }
    assert_eq!(app.events_of(id).await.len(), 2);
}

#[tokio::test]
async fn an_analyst_reads_every_lesson_but_submits_nothing() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let analyst = app.user(Role::Analyst);
    let draft = app.lesson_after(&teacher, &[]).await;
    app.project().await;

    let read = app
        .get(&format!("/v1/lessons/{draft}"), &analyst)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200);
    let submit = app
        .post(&format!("/v1/lessons/{draft}/submit"), &analyst)
        .send()
        .await
        .unwrap();
    problem(submit, 403).await;
}
