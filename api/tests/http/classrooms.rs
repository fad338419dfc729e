//! Classrooms for the tests: accounts enlisted straight through a `CommandRunner<User>`
//! (a dummy PHC hash, no argon2: these accounts never sign in; their tokens are minted with
//! the server's keys), classes created and lessons published through the API, and a second
//! API process on the same database.

use std::sync::Arc;

use api::auth::TokenType;
use api::{Application, Deps};
use commands::{CommandContext, CommandRunner};
use domain::{Class, DisplayName, Email, PasswordHash, Role, User, UserCommand, UserId, Username};
use eventstore::{Direction, EventStore, RecordedEvent};
use projections::classes::Classes;
use projections::content_requests::ContentRequests;
use projections::student_progress::StudentProgress;
use reqwest::{Method, Response};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio::task::JoinSet;
use uuid::Uuid;

use crate::helpers::{TestApp, TestUser};

/// A PHC string of the right shape that no password verifies against.
const NO_PASSWORD: &str = "$argon2id$v=19$m=19456,t=2,p=1$bm8tc2FsdA$bm8taGFzaA";

/// A teacher's class of `max_students` with one published lesson assigned and one
/// student enrolled.
pub struct Classroom {
    pub teacher: TestUser,
    pub class: Uuid,
    pub lesson: Uuid,
    pub student: TestUser,
}

/// Another API process on the test's database, as a second replica behind a load
/// balancer: its own store writer, command runners, state caches and class lanes. It
/// stops when dropped.
pub struct Replica {
    pub address: String,
    _stop: oneshot::Sender<()>,
}

impl TestApp {
    pub async fn replica(&self) -> Replica {
        let pool = self.db.new_pool(16).await.expect("a second pool");
        let store = EventStore::start(pool)
            .await
            .expect("the event store starts");
        let app = Application::build(self.config.clone(), Deps { store, nats: None })
            .await
            .expect("the replica builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(app.run_until_stopped(async {
            let _ = stopped.await;
        }));
        Replica {
            address,
            _stop: stop,
        }
    }

    /// `count` active accounts of `role`, registered concurrently, each with a token.
    pub async fn enlist_many(&self, role: Role, count: usize) -> Vec<TestUser> {
        let store = EventStore::start(self.db.pool.clone())
            .await
            .expect("the event store starts");
        let runner = Arc::new(CommandRunner::<User>::new(store));
        let mut registrations = JoinSet::new();
        for _ in 0..count {
            let runner = runner.clone();
            registrations.spawn(async move {
                let id = UserId::new(Uuid::now_v7());
                let name = format!("{}-{}", role.as_str(), id.as_uuid().simple());
                let command = UserCommand::Register {
                    user_id: id,
                    username: Username::parse(&name).expect("a username"),
                    email: Email::parse(format!("{name}@example.org")).expect("an email"),
                    display_name: DisplayName::parse(&name).expect("a display name"),
                    password_hash: PasswordHash::parse(NO_PASSWORD).expect("a PHC string"),
                    role,
                };
                runner
                    .execute_reserving(
                        id.as_uuid(),
                        &command,
                        &CommandContext::default(),
                        api::users::reservations,
                    )
                    .await
                    .expect("the account is registered");
                id.as_uuid()
            });
        }
        let mut users = Vec::with_capacity(count);
        while let Some(id) = registrations.join_next().await {
            let id = id.expect("the registration task");
            let token = self
                .keys
                .issue(id, role, TokenType::Access)
                .expect("a token");
            users.push(TestUser { id, token });
        }
        users
    }

    /// One active account of `role`, with a token.
    pub async fn enlist(&self, role: Role) -> TestUser {
        self.enlist_many(role, 1).await.remove(0)
    }

    /// `method path` as `user`, with `body` as JSON when given.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        user: &TestUser,
        body: Option<Value>,
    ) -> Response {
        let mut request = self.request(method, path, user);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("a response")
    }

    /// `POST path` as `user` with `body`, expecting `status`; the response body.
    pub async fn expect_post(
        &self,
        path: &str,
        user: &TestUser,
        body: Value,
        status: u16,
    ) -> Value {
        let response = self.send(Method::POST, path, user, Some(body)).await;
        assert_eq!(
            response.status(),
            status,
            "{path}: {:?}",
            response.text().await
        );
        response.json().await.expect("JSON")
    }

    /// A class of `teacher`'s (created by the teacher) with `max_students` seats.
    pub async fn create_class(&self, teacher: &TestUser, max_students: u16) -> Uuid {
        let body = self
            .expect_post("/v1/classes", teacher, class_body(max_students), 201)
            .await;
        let stream = body["stream_id"].as_str().expect("a stream id");
        stream
            .strip_prefix("class-")
            .expect("a class stream")
            .parse()
            .expect("a UUID")
    }

    /// A lesson drafted by `author` and published by an admin.
    pub async fn published_lesson(&self, author: &TestUser) -> Uuid {
        self.lesson_after(author, &["submit", "approve", "publish"])
            .await
    }

    /// A teacher's class (30 seats) with a published lesson and an enrolled student.
    pub async fn classroom(&self) -> Classroom {
        let teacher = self.enlist(Role::Teacher).await;
        let student = self.enlist(Role::Student).await;
        let class = self.create_class(&teacher, 30).await;
        let lesson = self.published_lesson(&teacher).await;
        let path = format!("/v1/classes/{class}");
        self.expect_post(
            &format!("{path}/lessons"),
            &teacher,
            json!({ "lesson_id": lesson }),
            200,
        )
        .await;
        self.expect_post(
            &format!("{path}/enrollments"),
            &teacher,
            json!({ "student_id": student.id }),
            200,
        )
        .await;
        Classroom {
            teacher,
            class,
            lesson,
            student,
        }
    }

    /// The class as its stream has it now (a runner of its own, as another process).
    pub async fn class_state(&self, class: Uuid) -> (i64, Class) {
        let store = EventStore::start(self.db.pool.clone())
            .await
            .expect("the event store starts");
        CommandRunner::<Class>::new(store)
            .state(class)
            .await
            .expect("the class's state")
    }

    /// Let the classes and rosters read model apply the whole log.
    pub async fn project_classes(&self) -> i64 {
        let head = eventstore::read::head(&self.db.pool)
            .await
            .expect("the head");
        projections::advance_to(&self.db.pool, &Classes, head)
            .await
            .expect("the classes apply the log")
    }

    /// Let the classes, progress and content request read models apply the whole log.
    pub async fn project_school(&self) {
        let head = self.project_classes().await;
        projections::advance_to(&self.db.pool, &StudentProgress, head)
            .await
            .expect("the progress applies the log");
        projections::advance_to(&self.db.pool, &ContentRequests, head)
            .await
            .expect("the content requests apply the log");
    }

    /// The events of any stream.
    pub async fn stream_events(&self, stream: &str) -> Vec<RecordedEvent> {
        eventstore::read::stream(&self.db.pool, stream, 1, Direction::Forward, 1_000)
            .await
            .expect("the stream")
    }
}

/// The body of a class creation.
pub fn class_body(max_students: u16) -> Value {
    json!({
        "name": "7B Science",
        "subject": "Science",
        "grade_level": 7,
        "max_students": max_students,
    })
}
