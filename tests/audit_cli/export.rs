//! `lectern audit export`: the log as NDJSON, a rerun continuing it without duplicates,
//! also after Ctrl-C.

use std::time::Duration;

use crate::{Fixture, dense, positions, succeeded, text};

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
