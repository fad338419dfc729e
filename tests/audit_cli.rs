//! `lectern audit …`, the real binary, against a database of the test's own (and, for
//! `--server`, a real API server on it): exports that continue without duplicates, also
//! after Ctrl-C or a torn last line; verify's exit codes; streams, states and the log as
//! tables and NDJSON, the same from the database and from the server.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use api::auth::{TokenKeys, TokenType};
use api::{ApiConfig, Application, Deps};
use commands::{Actor, CommandContext, CommandRunner};
use domain::{
    Description, GradeLevel, Lesson, LessonCommand, LessonContent, LessonId, Role, Subject, Title,
    UserId,
};
use eventstore::{Append, EventStore, ExpectedVersion, NewEvent, StreamId};
use serde_json::{Value, json};
use tokio::process::Command;
use tokio::sync::oneshot;
use uuid::Uuid;

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

#[tokio::test]
async fn an_export_writes_the_log_and_a_rerun_continues_it_without_duplicates() {
    let fx = Fixture::new().await;
    fx.append(2_500).await;
    let out = fx.path("log.ndjson");
    let out_arg = out.to_str().unwrap();

    let first = fx.run(&["audit", "export", "--out", out_arg]).await;
    succeeded(&first);
    assert_eq!(positions(&out), dense(1, 2_500));
    assert!(text(&first.stdout).contains("exported 2500 events"));

    fx.append(1_200).await;
    succeeded(&fx.run(&["audit", "export", "--out", out_arg]).await);
    assert_eq!(positions(&out), dense(1, 3_700), "continued after 2500");

    // A crash in the middle of a line: the torn line is cut off, nothing is repeated.
    let mut torn = std::fs::read(&out).unwrap();
    torn.extend_from_slice(b"{\"position\":3701,\"event_");
    std::fs::write(&out, torn).unwrap();
    fx.append(10).await;
    let resumed = fx.run(&["audit", "export", "--out", out_arg]).await;
    succeeded(&resumed);
    assert!(
        text(&resumed.stderr).contains("partial last line"),
        "{}",
        text(&resumed.stderr)
    );
    assert_eq!(positions(&out), dense(1, 3_710));

    let refused = fx
        .run(&["audit", "export", "--out", out_arg, "--after", "5"])
        .await;
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("--restart"),
        "{}",
        text(&refused.stderr)
    );
    succeeded(
        &fx.run(&[
            "audit",
            "export",
            "--out",
            out_arg,
            "--restart",
            "--after",
            "3000",
        ])
        .await,
    );
    assert_eq!(positions(&out), dense(3_001, 3_710));
}

#[tokio::test]
async fn ctrl_c_stops_an_export_between_lines_and_a_rerun_finishes_it() {
    let fx = Fixture::new().await;
    fx.append(60_000).await;
    let out = fx.path("big.ndjson");
    let out_arg = out.to_str().unwrap();

    let child = fx
        .lectern(&["audit", "export", "--out", out_arg])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupt once something was written (the writer flushes every MiB).
    for _ in 0..600 {
        if std::fs::metadata(&out).is_ok_and(|m| m.len() > 0) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let pid = child.id().unwrap().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let interrupted = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("the export stops")
        .unwrap();
    let written = positions(&out);
    eprintln!(
        "export exited {:?} with {} lines written",
        interrupted.status.code(),
        written.len()
    );
    match interrupted.status.code() {
        Some(130) => {
            assert!(text(&interrupted.stderr).contains("run the same command again"));
            assert!(written.len() < 60_000, "stopped early");
        }
        // It may have finished before the signal came.
        Some(0) => assert_eq!(written.len(), 60_000),
        other => panic!("exit {other:?}: {}", text(&interrupted.stderr)),
    }
    assert_eq!(
        written,
        dense(1, written.len() as i64),
        "a valid prefix of the log"
    );

    succeeded(&fx.run(&["audit", "export", "--out", out_arg]).await);
    assert_eq!(positions(&out), dense(1, 60_000));
}

#[tokio::test]
async fn verify_exits_0_when_the_chain_holds_and_1_with_the_break() {
    let fx = Fixture::new().await;
    fx.append(1_500).await;

    let clean = fx.run(&["audit", "verify"]).await;
    succeeded(&clean);
    let stdout = text(&clean.stdout);
    assert!(
        stdout.starts_with("clean: 1500 events verified"),
        "{stdout}"
    );

    sqlx::query(
        "UPDATE es.events SET payload = jsonb_set(payload, '{n}', '999') WHERE position = 700",
    )
    .execute(&fx.db.pool)
    .await
    .unwrap();
    let broken = fx.run(&["audit", "verify"]).await;
    assert_eq!(broken.status.code(), Some(1), "{}", text(&broken.stderr));
    let stdout = text(&broken.stdout);
    assert!(
        stdout.starts_with("BROKEN at position 700: altered"),
        "{stdout}"
    );
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

#[tokio::test]
async fn stream_and_log_print_tables_and_ndjson_and_a_state_as_it_stood() {
    let fx = Fixture::new().await;
    fx.append(3).await;
    let id = lesson(&fx).await;
    let stream = format!("lesson-{id}");

    let ndjson = fx
        .run(&["audit", "stream", &stream, "--format", "ndjson"])
        .await;
    succeeded(&ndjson);
    let events: Vec<Value> = text(&ndjson.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let types: Vec<&str> = events
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["LessonDrafted", "LessonRevised", "LessonSubmittedForReview"]
    );

    let table = fx.run(&["audit", "stream", &stream]).await;
    succeeded(&table);
    let table = text(&table.stdout);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 4, "{table}");
    assert!(lines[0].contains("POSITION") && lines[0].contains("TYPE"));
    assert!(lines[2].contains("LessonRevised") && lines[2].contains("teacher"));

    let as_of = fx
        .run(&[
            "audit", "stream", &stream, "--as-of", "1", "--format", "ndjson",
        ])
        .await;
    succeeded(&as_of);
    let state: Value = serde_json::from_slice(&as_of.stdout).unwrap();
    assert_eq!(state["version"], 1);
    assert_eq!(state["state"]["status"], "draft");
    assert_eq!(state["state"]["details"]["title"], "Photosynthesis");
    let at = events[1]["recorded_at"].as_str().unwrap();
    let by_time = fx.run(&["audit", "stream", &stream, "--as-of", at]).await;
    succeeded(&by_time);
    let by_time = text(&by_time.stdout);
    assert!(
        by_time.starts_with(&format!("{stream} at version 2 ")),
        "{by_time}"
    );
    assert!(by_time.contains("Light and plants"));

    let log = fx
        .run(&["audit", "log", "--category", "lesson", "--format", "ndjson"])
        .await;
    succeeded(&log);
    assert_eq!(
        text(&log.stdout),
        text(&ndjson.stdout),
        "the lesson is the only lesson"
    );
    let after = fx
        .run(&["audit", "log", "--after", "4", "--limit", "1"])
        .await;
    succeeded(&after);
    let after = text(&after.stdout);
    assert_eq!(after.lines().count(), 2, "{after}");
    assert!(after.lines().nth(1).unwrap().trim_start().starts_with("5 "));

    let missing = fx
        .run(&["audit", "stream", &format!("lesson-{}", Uuid::now_v7())])
        .await;
    assert!(!missing.status.success());
    assert!(text(&missing.stderr).contains("there is no stream"));
}

/// An API server on the fixture's database and an auditor's token for it.
async fn server(fx: &Fixture) -> (String, String, oneshot::Sender<()>) {
    let secret = format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple());
    let mut config = ApiConfig::with_secret(secret.clone());
    config.listen = "127.0.0.1:0".parse().unwrap();
    let app = Application::build(
        config,
        Deps {
            store: fx.store.clone(),
            nats: None,
        },
    )
    .await
    .unwrap();
    let address = format!("http://127.0.0.1:{}", app.port());
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    let keys = TokenKeys::from_secret(
        secret.as_bytes(),
        Duration::from_secs(900),
        Duration::from_secs(3600),
    )
    .unwrap();
    let token = keys
        .issue(Uuid::now_v7(), Role::Auditor, TokenType::Access)
        .unwrap();
    (address, token, stop)
}

#[tokio::test]
async fn with_server_the_same_history_comes_over_http() {
    let fx = Fixture::new().await;
    fx.append(2_100).await;
    let id = lesson(&fx).await;
    let stream = format!("lesson-{id}");
    let (address, token, _stop) = server(&fx).await;
    let remote = |args: &[&str]| {
        let mut all: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        all.extend([
            "--server".into(),
            address.clone(),
            "--token".into(),
            token.clone(),
        ]);
        all
    };
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect::<Vec<_>>();
        let mut command = fx.lectern(&args);
        // Over HTTP the database is not used: point it nowhere.
        command.env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none");
        async move { command.output().await.unwrap() }
    };

    for args in [
        vec!["audit", "stream", stream.as_str(), "--format", "ndjson"],
        vec![
            "audit",
            "stream",
            stream.as_str(),
            "--as-of",
            "2",
            "--format",
            "ndjson",
        ],
        vec![
            "audit",
            "log",
            "--after",
            "100",
            "--type",
            "ExportTested,LessonRevised",
            "--format",
            "ndjson",
        ],
        vec!["audit", "log"],
    ] {
        let direct = fx.run(&args).await;
        succeeded(&direct);
        let over_http = run(remote(&args)).await;
        succeeded(&over_http);
        assert_eq!(text(&over_http.stdout), text(&direct.stdout), "{args:?}");
    }

    let direct = fx.path("direct.ndjson");
    let remote_file = fx.path("remote.ndjson");
    succeeded(
        &fx.run(&["audit", "export", "--out", direct.to_str().unwrap()])
            .await,
    );
    succeeded(
        &run(remote(&[
            "audit",
            "export",
            "--out",
            remote_file.to_str().unwrap(),
        ]))
        .await,
    );
    assert_eq!(
        std::fs::read(&remote_file).unwrap(),
        std::fs::read(&direct).unwrap()
    );
    assert_eq!(positions(&remote_file), dense(1, 2_103));

    let verified = run(remote(&["audit", "verify"])).await;
    succeeded(&verified);
    assert!(text(&verified.stdout).starts_with("clean: 2103 events verified"));

    let forbidden = {
        let mut args = remote(&["audit", "log"]);
        let last = args.len() - 1;
        args[last] = "not-a-token".into();
        run(args).await
    };
    assert!(!forbidden.status.success());
    assert!(
        text(&forbidden.stderr).contains("401"),
        "{}",
        text(&forbidden.stderr)
    );
}

#[tokio::test]
async fn an_interrupted_rebuild_of_every_projection_says_where_to_continue() {
    use tokio::io::{AsyncBufReadExt, BufReader};

    let fx = Fixture::new().await;
    fx.append(60_000).await;
    lesson(&fx).await;
    let mut child = fx
        .lectern(&["projections", "rebuild", "--all"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = stdout
        .next_line()
        .await
        .unwrap()
        .expect("the first model's line");
    assert!(
        first.starts_with("lessons: rebuilt to position 60003"),
        "{first}"
    );
    let pid = child.id().unwrap().to_string();
    std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    let mut rest = Vec::new();
    while let Some(line) = stdout.next_line().await.unwrap() {
        rest.push(line);
    }
    let output = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("the rebuild stops")
        .unwrap();
    let stderr = text(&output.stderr);
    eprintln!(
        "rebuild exited {:?}; stdout after the first line: {rest:?}",
        output.status.code()
    );
    if output.status.code() == Some(0) {
        return; // It finished every model before the signal came.
    }
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    let from = stderr
        .lines()
        .find_map(|line| {
            line.strip_prefix("continue with: lectern projections rebuild --all --from ")
        })
        .unwrap_or_else(|| panic!("no way to continue: {stderr}"))
        .to_owned();
    assert!(
        stderr.contains("live tables and checkpoint are as they were"),
        "{stderr}"
    );

    let resumed = fx
        .run(&["projections", "rebuild", "--all", "--from", &from])
        .await;
    succeeded(&resumed);
    let resumed = text(&resumed.stdout);
    assert!(
        resumed.starts_with(&format!("{from}: rebuilt")),
        "{resumed}"
    );
    assert!(
        !resumed.contains("lessons:"),
        "the models before it are skipped: {resumed}"
    );
}
