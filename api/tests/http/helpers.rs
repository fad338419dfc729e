//! The test app: a real server on 127.0.0.1:0 over a database of the test's own, a client,
//! and tokens minted with the server's own keys (sign-in itself is tested in `sign_in.rs`).

use std::time::Duration;

use api::auth::{Claims, TokenKeys, TokenType};
use api::{ApiConfig, Application, Deps};
use domain::Role;
use eventstore::{Direction, EventStore, RecordedEvent};
use projections::lessons::Lessons;
use reqwest::{Client, Method, RequestBuilder, Response};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use tokio::sync::oneshot;
use uuid::Uuid;

pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub db: testkit::TestDb,
    pub config: ApiConfig,
    pub keys: TokenKeys,
    _stop: oneshot::Sender<()>,
}

/// Someone with a token.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: Uuid,
    pub token: String,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut ApiConfig)) -> TestApp {
    let db = testkit::TestDb::create().await.expect("a test database");
    let store = EventStore::start(db.pool.clone())
        .await
        .expect("the event store starts");
    let secret = format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple());
    let mut config = ApiConfig::with_secret(secret);
    config.listen = "127.0.0.1:0".parse().expect("a socket address");
    configure(&mut config);
    let keys = keys_for(config.jwt_secret.expose_secret());
    let app = Application::build(config.clone(), Deps { store, nats: None })
        .await
        .expect("the application builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    TestApp {
        address,
        client: {
            // Built with the agents crate in the same workspace build, reqwest has rustls
            // without a crypto provider chosen (see agents::provider::http): choose ring.
            let _ = rustls::crypto::ring::default_provider().install_default();
            Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("a client")
        },
        db,
        config,
        keys,
        _stop: stop,
    }
}

pub fn keys_for(secret: &str) -> TokenKeys {
    TokenKeys::from_secret(
        secret.as_bytes(),
        Duration::from_secs(900),
        Duration::from_secs(3600),
    )
    .expect("a strong secret")
}

impl TestApp {
    /// A new user of `role` with a fresh access token.
    pub fn user(&self, role: Role) -> TestUser {
        let id = Uuid::now_v7();
        let token = self
            .keys
            .issue(id, role, TokenType::Access)
            .expect("a token");
        TestUser { id, token }
    }

    /// A token with exactly these claims, signed with the server's key.
    pub fn token_with(&self, claims: &Claims) -> String {
        self.keys.sign(claims).expect("a token")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// The server's OpenAPI document.
    pub async fn openapi(&self) -> serde_json::Value {
        let response = self.client.get(self.url("/openapi.json")).send().await;
        let response = response.expect("GET /openapi.json");
        assert_eq!(response.status(), 200);
        response.json().await.expect("the document is JSON")
    }

    pub fn request(&self, method: Method, path: &str, user: &TestUser) -> RequestBuilder {
        self.client
            .request(method, self.url(path))
            .bearer_auth(&user.token)
    }

    pub fn post(&self, path: &str, user: &TestUser) -> RequestBuilder {
        self.request(Method::POST, path, user)
    }

    pub fn get(&self, path: &str, user: &TestUser) -> RequestBuilder {
        self.request(Method::GET, path, user)
    }

    /// Draft a lesson as `user`; returns its id and the command's response body.
    pub async fn draft_lesson(&self, user: &TestUser, body: Value) -> (Uuid, Value) {
        let response = self
            .post("/v1/lessons", user)
            .json(&body)
            .send()
            .await
            .expect("a response");
        assert_eq!(response.status(), 201, "{:?}", response.text().await);
        let body: Value = response.json().await.expect("JSON");
        let stream = body["stream_id"].as_str().expect("a stream id");
        let id = stream.strip_prefix("lesson-").expect("a lesson stream");
        (id.parse().expect("a UUID"), body)
    }

    /// A lesson taken by an admin through `steps` (e.g. `["submit", "approve"]`) after its draft.
    pub async fn lesson_after(&self, author: &TestUser, steps: &[&str]) -> Uuid {
        let (id, _) = self.draft_lesson(author, photosynthesis()).await;
        let admin = self.user(Role::Admin);
        for step in steps {
            let response = self
                .post(&format!("/v1/lessons/{id}/{step}"), &admin)
                .send()
                .await
                .expect("a response");
            assert_eq!(
                response.status(),
                200,
                "{step}: {:?}",
                response.text().await
            );
        }
        id
    }

    /// Let the lesson catalog apply the whole log (what the projection worker does live).
    pub async fn project(&self) -> i64 {
        let head = eventstore::read::head(&self.db.pool)
            .await
            .expect("the head");
        projections::advance_to(&self.db.pool, &Lessons, head)
            .await
            .expect("the catalog applies the log")
    }

    /// The events of a lesson's stream.
    pub async fn events_of(&self, lesson: Uuid) -> Vec<RecordedEvent> {
        eventstore::read::stream(
            &self.db.pool,
            &format!("lesson-{lesson}"),
            1,
            Direction::Forward,
            1_000,
        )
        .await
        .expect("the stream")
    }
}

pub fn photosynthesis() -> Value {
    json!({
        "title": "Photosynthesis",
        "description": "How plants make food",
        "subject": "Science",
        "grade_level": 7,
        "content": { "sections": [{ "heading": "Light" }] }
    })
}

/// The problem document of a response, after checking its status and media type.
pub async fn problem(response: Response, status: u16) -> Value {
    assert_eq!(response.status(), status, "{:?}", response.headers());
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.expect("a problem document");
    assert_eq!(body["status"], status);
    body
}

pub fn problem_type(slug: &str) -> String {
    format!("https://lectern.dev/problems/{slug}")
}

/// A header of a response as a string.
pub fn header(response: &Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
        .to_owned()
}
