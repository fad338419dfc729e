//! `lectern audit …`, the real binary, against a database of the test's own (and, for
//! `--server`, a real API server on it): exports that continue without duplicates, also
//! after Ctrl-C or a torn last line; verify's exit codes; streams, states and the log as
//! tables and NDJSON, the same from the database and from the server.
//!
//! This file holds what the commands' tests share (a [`Fixture`] that runs the binary, a
//! lesson taken through three commands, readers of an export); the tests are by command:
//! [`export`], [`verify`], [`read`] (streams and the log, also over `--server`) and
//! [`rebuild`].

use std::path::{Path, PathBuf};
use std::process::Output;

use commands::{Actor, CommandContext, CommandRunner};
use domain::{
    Description, GradeLevel, Lesson, LessonCommand, LessonContent, LessonId, Subject, Title, UserId,
};
use eventstore::{Append, EventStore, ExpectedVersion, NewEvent, StreamId};
use serde_json::{Value, json};
use tokio::process::Command;
use uuid::Uuid;

mod export;
mod read;
mod rebuild;
mod verify;

/// A database with a store on it, and where the binary finds it.
struct Fixture {
    db: testkit::TestDb,
    store: EventStore,
    url: String,
    dir: PathBuf,
}

impl Fixture {
    async fn new() -> Self {
        let db = testkit::TestDb::create().await.expect("a test database");
        let store = EventStore::start(db.pool.clone()).await.expect("a store");
        let mut url = reqwest::Url::parse(&std::env::var("DATABASE_URL").unwrap()).unwrap();
        url.set_path(&format!("/{}", db.name));
        let dir = std::env::temp_dir().join(format!("lectern-audit-cli-{}", Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        Self {
            db,
            store,
            url: url.to_string(),
            dir,
        }
    }

    /// `count` events on fresh streams, appended a thousand at a time.
    async fn append(&self, count: usize) {
        let mut left = count;
        while left > 0 {
            let take = left.min(1_000);
            let stream = StreamId::new("export", Uuid::now_v7()).unwrap();
            let events = (0..take)
                .map(|n| NewEvent::new("ExportTested", json!({ "n": n, "text": "some text" })))
                .collect();
            self.store
                .append(Append::new(stream, ExpectedVersion::NoStream, events))
                .await
                .unwrap();
            left -= take;
        }
    }

    fn lectern(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_lectern"));
        command
            .args(args)
            .env("DATABASE_URL", &self.url)
            .env_remove("LECTERN_SERVER")
            .env_remove("LECTERN_TOKEN")
            .env("RUST_LOG", "warn")
            .kill_on_drop(true);
        command
    }

    async fn run(&self, args: &[&str]) -> Output {
        self.lectern(args).output().await.expect("lectern runs")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn succeeded(output: &Output) {
    assert!(
        output.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        text(&output.stdout),
        text(&output.stderr)
    );
}

/// The positions of an NDJSON export, checking every line is a whole event with a hash.
fn positions(path: &Path) -> Vec<i64> {
    let content = std::fs::read_to_string(path).unwrap();
    assert!(
        content.is_empty() || content.ends_with('\n'),
        "whole lines only"
    );
    content
        .lines()
        .map(|line| {
            let event: Value = serde_json::from_str(line).unwrap();
            assert_eq!(event["hash"].as_str().unwrap().len(), 64, "{line}");
            event["position"].as_i64().unwrap()
        })
        .collect()
}

fn dense(from: i64, to: i64) -> Vec<i64> {
    (from..=to).collect()
}

/// A lesson taken through three commands; its id.
async fn lesson(fx: &Fixture) -> Uuid {
    let runner = CommandRunner::<Lesson>::new(fx.store.clone());
    let id = Uuid::now_v7();
    let author = Uuid::now_v7();
    let context = CommandContext::by(Actor {
        id: author,
        role: "teacher".into(),
    });
    let commands = [
        LessonCommand::Draft {
            lesson_id: LessonId::new(id),
            title: Title::parse("Photosynthesis").unwrap(),
            description: Description::parse("How plants make food").unwrap(),
            subject: Subject::parse("Science").unwrap(),
            grade_level: GradeLevel::parse(7).unwrap(),
            content: LessonContent::parse(json!({})).unwrap(),
            author: UserId::new(author),
        },
        LessonCommand::Revise {
            title: Some(Title::parse("Light and plants").unwrap()),
            description: None,
            subject: None,
            grade_level: None,
            content: None,
        },
        LessonCommand::SubmitForReview,
    ];
    for command in commands {
        runner.execute(id, &command, &context).await.unwrap();
    }
    id
}
