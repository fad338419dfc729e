//! The command runner against a real PostgreSQL: each test its own database.

use commands::{Actor, CommandContext, CommandError, CommandRunner};
use domain::{
    Description, GradeLevel, Lesson, LessonCommand, LessonContent, LessonId, Subject, Title, UserId,
};
use eventstore::EventStore;
use uuid::Uuid;

mod concurrency;
mod lifecycle;

pub fn teacher() -> CommandContext {
    CommandContext::by(Actor {
        id: Uuid::now_v7(),
        role: "teacher".into(),
    })
}

pub fn draft(id: Uuid) -> LessonCommand {
    LessonCommand::Draft {
        lesson_id: LessonId::new(id),
        title: Title::parse("Photosynthesis").unwrap(),
        description: Description::parse("How plants make food").unwrap(),
        subject: Subject::parse("Science").unwrap(),
        grade_level: GradeLevel::parse(7).unwrap(),
        content: LessonContent::empty(),
        author: UserId::new(Uuid::now_v7()),
    }
}

pub fn retitle(title: &str) -> LessonCommand {
    LessonCommand::Revise {
        title: Some(Title::parse(title).unwrap()),
        description: None,
        subject: None,
        grade_level: None,
        content: None,
    }
}

pub async fn runner() -> anyhow::Result<(testkit::TestDb, CommandRunner<Lesson>)> {
    let db = testkit::TestDb::create().await?;
    let store = EventStore::start(db.pool.clone()).await?;
    Ok((db, CommandRunner::new(store)))
}

pub fn rule(error: &CommandError) -> Option<&'static str> {
    match error {
        CommandError::Rejected(r) => Some(r.rule()),
        _ => None,
    }
}
