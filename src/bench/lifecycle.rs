//! The lesson lifecycle the benchmarks drive: draft, three revisions, submit, approve,
//! publish. Each command decides exactly one event.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use commands::{Actor, CommandContext, CommandRunner};
use domain::{
    Description, GradeLevel, Lesson, LessonCommand, LessonContent, LessonId, Subject, Title, UserId,
};
use uuid::Uuid;

use super::latency::Latencies;

pub const COMMANDS_PER_LESSON: usize = 7;

pub fn commands(id: Uuid, author: UserId) -> Vec<LessonCommand> {
    // Literal values within their bounds: parsing them cannot fail.
    let title = |t: &str| Title::parse(t).expect("a valid title");
    let mut commands = vec![LessonCommand::Draft {
        lesson_id: LessonId::new(id),
        title: title("Photosynthesis"),
        description: Description::parse("How plants turn light into food").expect("valid"),
        subject: Subject::parse("Science").expect("a valid subject"),
        grade_level: GradeLevel::parse(7).expect("a valid grade"),
        content: LessonContent::empty(),
        author,
    }];
    for n in 1..=3 {
        commands.push(LessonCommand::Revise {
            title: Some(title(&format!("Photosynthesis, revision {n}"))),
            description: None,
            subject: None,
            grade_level: None,
            content: None,
        });
    }
    commands.push(LessonCommand::SubmitForReview);
    commands.push(LessonCommand::Approve { reviewer: author });
    commands.push(LessonCommand::Publish);
    commands
}

/// Take `lessons` lessons through their lifecycle with `concurrency` clients, each a
/// teacher running one lesson's commands in order; returns every command's latency.
pub async fn run(
    runner: Arc<CommandRunner<Lesson>>,
    lessons: usize,
    concurrency: usize,
) -> anyhow::Result<Latencies> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut clients = tokio::task::JoinSet::new();
    for _ in 0..concurrency.max(1) {
        let (runner, next) = (runner.clone(), next.clone());
        clients.spawn(async move {
            let teacher = Uuid::now_v7();
            let ctx = CommandContext::by(Actor {
                id: teacher,
                role: "teacher".into(),
            });
            let mut latencies = Latencies::new();
            while next.fetch_add(1, Ordering::Relaxed) < lessons {
                let id = Uuid::now_v7();
                for command in commands(id, UserId::new(teacher)) {
                    let sent = Instant::now();
                    runner.execute(id, &command, &ctx).await?;
                    latencies.record(sent.elapsed());
                }
            }
            Ok::<_, anyhow::Error>(latencies)
        });
    }
    let mut latencies = Latencies::new();
    while let Some(done) = clients.join_next().await {
        latencies.merge(&done??);
    }
    Ok(latencies)
}
