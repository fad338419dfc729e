//! `lectern audit stream` and `audit log`: tables and NDJSON, a state as it stood, and the
//! same history from a real API server with `--server`.

use std::time::Duration;

use api::auth::{TokenKeys, TokenType};
use api::{ApiConfig, Application, Deps};
use domain::Role;
use serde_json::Value;
use tokio::sync::oneshot;
use uuid::Uuid;

use crate::{Fixture, dense, lesson, positions, succeeded, text};

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
