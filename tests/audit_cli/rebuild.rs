//! `lectern projections rebuild --all`: interrupted, it says where to continue.

use std::time::Duration;

use crate::{Fixture, lesson, succeeded, text};

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
