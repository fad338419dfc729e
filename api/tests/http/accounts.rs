//! Real accounts for the tests: registered through the API (by an admin token minted with
//! the server's keys) or directly through a `CommandRunner<User>` (as the command line
//! creates the first admin), signed in through `POST /v1/auth/token`.

use api::users::RegisterUser;
use commands::{CommandContext, CommandRunner};
use domain::{DisplayName, Email, Password, Role, User, UserId, Username};
use eventstore::{Direction, EventStore, RecordedEvent};
use projections::users::Users;
use reqwest::Response;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, TestUser};

/// Long enough for the password rules (12–1024 characters).
pub const PASSWORD: &str = "correct horse battery";

/// An account that exists in the store; its password is [`PASSWORD`].
#[derive(Debug, Clone)]
pub struct Account {
    pub id: Uuid,
    pub username: String,
}

/// The body of a registration of `username` with `role`.
pub fn registration(username: &str, role: Role) -> Value {
    json!({
        "username": username,
        "email": format!("{username}@example.org"),
        "display_name": format!("{username} of the tests"),
        "password": PASSWORD,
        "role": role.as_str(),
    })
}

impl TestApp {
    /// Register `username` with `role` through `POST /v1/users`, as an admin.
    pub async fn register(&self, username: &str, role: Role) -> Account {
        let admin = self.user(Role::Admin);
        let response = self
            .post("/v1/users", &admin)
            .json(&registration(username, role))
            .send()
            .await
            .expect("a response");
        assert_eq!(response.status(), 201, "{:?}", response.text().await);
        let body: Value = response.json().await.expect("JSON");
        let stream = body["stream_id"].as_str().expect("a stream id");
        let id = stream.strip_prefix("user-").expect("a user stream");
        Account {
            id: id.parse().expect("a UUID"),
            username: username.to_owned(),
        }
    }

    /// Register an admin without HTTP, as `lectern users create` does: a runner of its own
    /// on the test's database (the app's runner has never seen this stream).
    pub async fn first_admin(&self, username: &str) -> Account {
        let store = EventStore::start(self.db.pool.clone())
            .await
            .expect("the event store starts");
        let runner = CommandRunner::<User>::new(store);
        let id = UserId::new(Uuid::now_v7());
        let command = RegisterUser {
            user_id: None,
            username: Username::parse(username).expect("a username"),
            email: Email::parse(format!("{username}@example.org")).expect("an email"),
            display_name: DisplayName::parse("The first admin").expect("a name"),
            password: Password::parse(PASSWORD).expect("a password"),
            role: Role::Admin,
        }
        .into_command(id)
        .await
        .expect("the password hashes");
        runner
            .execute_reserving(
                id.as_uuid(),
                &command,
                &CommandContext::default(),
                api::users::reservations,
            )
            .await
            .expect("the admin is registered");
        Account {
            id: id.as_uuid(),
            username: username.to_owned(),
        }
    }

    /// `POST /v1/auth/token`.
    pub async fn sign_in(&self, username: &str, password: &str) -> Response {
        self.client
            .post(self.url("/v1/auth/token"))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("a response")
    }

    /// The token pair of a successful sign-in.
    pub async fn tokens_of(&self, account: &Account) -> Value {
        let response = self.sign_in(&account.username, PASSWORD).await;
        assert_eq!(response.status(), 200, "{:?}", response.text().await);
        response.json().await.expect("a token pair")
    }

    /// `account`, signed in.
    pub async fn signed_in(&self, account: &Account) -> TestUser {
        let pair = self.tokens_of(account).await;
        TestUser {
            id: account.id,
            token: pair["access_token"].as_str().expect("a token").to_owned(),
        }
    }

    /// `POST /v1/auth/refresh`.
    pub async fn refresh(&self, refresh_token: &str) -> Response {
        self.client
            .post(self.url("/v1/auth/refresh"))
            .json(&json!({ "refresh_token": refresh_token }))
            .send()
            .await
            .expect("a response")
    }

    /// `POST /v1/users/{id}/{action}` as a fresh admin token, expecting 200.
    pub async fn admin_does(&self, id: Uuid, action: &str, body: Option<Value>) -> Value {
        let mut request = self.post(&format!("/v1/users/{id}/{action}"), &self.user(Role::Admin));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("a response");
        assert_eq!(
            response.status(),
            200,
            "{action}: {:?}",
            response.text().await
        );
        response.json().await.expect("JSON")
    }

    /// Let the accounts read model apply the whole log.
    pub async fn project_users(&self) -> i64 {
        let head = eventstore::read::head(&self.db.pool)
            .await
            .expect("the head");
        projections::advance_to(&self.db.pool, &Users, head)
            .await
            .expect("the accounts apply the log")
    }

    /// The events of a user's stream.
    pub async fn user_events(&self, id: Uuid) -> Vec<RecordedEvent> {
        eventstore::read::stream(
            &self.db.pool,
            &format!("user-{id}"),
            1,
            Direction::Forward,
            1_000,
        )
        .await
        .expect("the stream")
    }
}
