//! An event stored in an older schema version is read as the current shape everywhere:
//! `UserRoleChanged` version 1 (`{from, to}`), appended raw as an older release wrote it,
//! is `{previous_role, role}` to the aggregate's replay (sign-in, commands), to the
//! accounts read model and its HTTP route, and to anyone decoding it; the log keeps it
//! as it was stored.

use api::auth::TokenType;
use domain::{DomainEvent, Role, UserEvent};
use eventstore::{Append, EventStore, ExpectedVersion, NewEvent, StreamId};
use serde_json::{Value, json};

use crate::accounts::Account;
use crate::helpers::{TestApp, problem, problem_type, spawn_app};

/// Append `{"from": from, "to": to}` as schema version 1 of `UserRoleChanged` to the
/// account's stream, as the release before the rename did.
async fn role_changed_v1(app: &TestApp, account: &Account, from: &str, to: &str) -> i64 {
    let store = EventStore::start(app.db.pool.clone())
        .await
        .expect("the event store starts");
    let mut v1 = NewEvent::new("UserRoleChanged", json!({ "from": from, "to": to }));
    v1.schema_version = 1;
    let version = app.user_events(account.id).await.len() as i64;
    store
        .append(Append::new(
            StreamId::new("user", account.id).expect("a stream id"),
            ExpectedVersion::Exact(version),
            vec![v1],
        ))
        .await
        .expect("the old event is appended")
        .last_position
}

#[tokio::test]
async fn a_role_change_stored_as_version_1_is_read_as_the_current_shape_everywhere() {
    let app = spawn_app().await;
    let ada = app.register("ada", Role::Student).await;
    let position = role_changed_v1(&app, &ada, "student", "teacher").await;

    // The log keeps what was stored.
    let stored = app.user_events(ada.id).await;
    assert_eq!(
        (stored[1].schema_version, &stored[1].payload),
        (1, &json!({ "from": "student", "to": "teacher" }))
    );

    // (d) Decoding reads the current shape, and writes it back as version 2.
    let decoded = UserEvent::from_stored(
        &stored[1].event_type,
        stored[1].schema_version,
        &stored[1].payload,
    )
    .expect("version 1 decodes");
    assert_eq!(
        decoded,
        UserEvent::UserRoleChanged {
            previous_role: Role::Student,
            role: Role::Teacher,
        }
    );
    assert_eq!(decoded.schema_version(), 2);
    assert_eq!(
        decoded.to_payload(),
        json!({ "previous_role": "student", "role": "teacher" })
    );
    assert_eq!(
        UserEvent::from_stored("UserRoleChanged", 2, &decoded.to_payload()).unwrap(),
        decoded
    );

    // (a) The aggregate's replay: a sign-in folds the stream and issues the new role, and a
    // command decides on it.
    let pair = app.tokens_of(&ada).await;
    let claims = app
        .keys
        .verify(pair["access_token"].as_str().unwrap(), TokenType::Access)
        .unwrap();
    assert_eq!(claims.role, Role::Teacher);
    let unchanged = app
        .post(
            &format!("/v1/users/{}/role", ada.id),
            &app.user(Role::Admin),
        )
        .json(&json!({ "role": "teacher" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem(unchanged, 422).await["type"],
        problem_type("role-unchanged")
    );

    // (b) and (c): the accounts read model, over HTTP.
    app.project_users().await;
    let admin = app.user(Role::Admin);
    let account: Value = app
        .get(&format!("/v1/users/{}?after={position}", ada.id), &admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(account["role"], "teacher");
    assert_eq!(account["version"], 2);
}

#[tokio::test]
async fn a_role_change_made_now_is_stored_in_the_current_shape_after_an_old_one() {
    let app = spawn_app().await;
    let ada = app.register("ada", Role::Student).await;
    role_changed_v1(&app, &ada, "student", "teacher").await;

    app.admin_does(ada.id, "role", Some(json!({ "role": "parent" })))
        .await;

    let stored = app.user_events(ada.id).await;
    assert_eq!(stored[2].event_type, "UserRoleChanged");
    assert_eq!(stored[2].schema_version, 2);
    assert_eq!(
        stored[2].payload,
        json!({ "previous_role": "teacher", "role": "parent" })
    );
    app.project_users().await;
    let account: Value = app
        .get(&format!("/v1/users/{}", ada.id), &app.user(Role::Admin))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(account["role"], "parent");
}

#[tokio::test]
async fn a_role_change_from_a_future_release_stops_the_read_model_instead_of_guessing() {
    let app = spawn_app().await;
    let ada = app.register("ada", Role::Student).await;
    let store = EventStore::start(app.db.pool.clone()).await.unwrap();
    let mut v3 = NewEvent::new("UserRoleChanged", json!({ "roles": ["teacher"] }));
    v3.schema_version = 3;
    let appended = store
        .append(Append::new(
            StreamId::new("user", ada.id).unwrap(),
            ExpectedVersion::Exact(1),
            vec![v3],
        ))
        .await
        .unwrap();

    let head = eventstore::read::head(&app.db.pool).await.unwrap();
    let error = projections::advance_to(&app.db.pool, &projections::users::Users, head)
        .await
        .unwrap_err();

    assert!(
        matches!(
            &error,
            projections::ProjectionError::Decode {
                position,
                source: domain::DecodeError::UnsupportedVersion { version: 3, current: 2, .. },
            } if *position == appended.last_position
        ),
        "{error}"
    );
}
