//! Projection tests against real PostgreSQL and NATS: each test its own database and
//! subject prefix.

mod analysts;
mod analytics;
mod catalog;
mod classes;
mod column_comments;
mod content_requests;
mod counting;
mod live;
mod parent_links;
mod school;
mod student_progress;
mod users;

use commands::{Actor, CommandContext, CommandRunner};
use domain::{
    Description, GradeLevel, Lesson, LessonCommand, LessonContent, LessonId, Subject, Title, UserId,
};
use eventstore::EventStore;
use uuid::Uuid;

pub struct World {
    pub db: testkit::TestDb,
    pub lessons: CommandRunner<Lesson>,
}

pub async fn world() -> anyhow::Result<World> {
    let db = testkit::TestDb::create().await?;
    let lessons = CommandRunner::new(EventStore::start(db.pool.clone()).await?);
    Ok(World { db, lessons })
}

pub fn ctx() -> CommandContext {
    CommandContext::by(Actor {
        id: Uuid::now_v7(),
        role: "teacher".into(),
    })
}

/// Lessons in every status: `n` lessons, the i-th taken `i % 6` steps past its draft.
pub async fn some_lessons(world: &World, n: usize) -> anyhow::Result<Vec<Uuid>> {
    let mut ids = Vec::new();
    for i in 0..n {
        let id = Uuid::now_v7();
        let steps = [
            LessonCommand::Draft {
                lesson_id: LessonId::new(id),
                title: Title::parse(format!("Lesson {i}"))?,
                description: Description::parse("About things")?,
                subject: Subject::parse(["Science", "History", "Art"][i % 3])?,
                grade_level: GradeLevel::parse((i % 12 + 1) as i64)?,
                content: LessonContent::parse(serde_json::json!({ "sections": i }))?,
                author: UserId::new(Uuid::now_v7()),
            },
            LessonCommand::Revise {
                title: Some(Title::parse(format!("Lesson {i}, revised"))?),
                description: None,
                subject: None,
                grade_level: None,
                content: None,
            },
            LessonCommand::SubmitForReview,
            LessonCommand::Approve {
                reviewer: UserId::new(Uuid::now_v7()),
            },
            LessonCommand::Publish,
            LessonCommand::Archive {
                reason: Some(domain::Reason::parse("superseded").unwrap()),
            },
        ];
        for step in steps.iter().take(i % 6 + 1) {
            world.lessons.execute(id, step, &ctx()).await?;
        }
        ids.push(id);
    }
    Ok(ids)
}

pub async fn catalog_rows(
    pool: &sqlx::PgPool,
) -> anyhow::Result<Vec<projections::lessons::LessonRow>> {
    Ok(
        sqlx::query_as("SELECT * FROM read.lessons ORDER BY lesson_id")
            .fetch_all(pool)
            .await?,
    )
}
