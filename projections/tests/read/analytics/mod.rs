//! The analytics read models, over one small school: lessons in two subjects, two
//! classes, students making progress, a content request and agent steps recorded straight
//! into the log.

mod agent_performance;
mod class_dashboard;
mod columns;
mod daily_activity;
mod lesson_funnel;

use domain::{
    AgentName, ContentPart, ContentRequestEvent, DomainEvent, LessonCommand, Role, Subject,
};
use eventstore::{Append, ExpectedVersion, NewEvent, StreamId};
use uuid::Uuid;

use crate::World;
use crate::ctx;
use crate::school::{NewClass, School};

/// What [`some_activity`] made.
pub struct Activity {
    pub teacher: Uuid,
    /// Science 7 and Art 3.
    pub classes: [Uuid; 2],
    pub students: Vec<Uuid>,
    /// Science 7, Science 7, Art 3, and a draft drafted as History 5 revised to Geography.
    pub lessons: [Uuid; 4],
    /// A content request for the draft.
    pub request: Uuid,
}

/// Lessons 0 and 1 (Science 7) and 2 (Art 3) published, lesson 3 a draft revised from
/// History to Geography (grade 5). Class 0 (Science 7): students 0 and 1, lessons 0 and 1;
/// class 1 (Art 3): student 2, student 3 enrolled then unenrolled, lessons 0 and 2.
/// Progress: student 0 completes lesson 0 from class 0 (40 %, 70 %, done: 10 + 5 + 50 XP)
/// and records 50 % (20 XP) in lesson 1; student 1 records 20 % (0 XP) in lesson 0;
/// student 2 starts lesson 0 from class 1 and completes lesson 2 (30 XP).
pub async fn some_activity(school: &School) -> anyhow::Result<Activity> {
    let teacher = school.register(Role::Teacher).await?;
    let students = school.register_many(Role::Student, 4).await?;
    let lessons = [
        school.published_lesson("Science", 7).await?,
        school.published_lesson("Science", 7).await?,
        school.published_lesson("Art", 3).await?,
        school.draft_lesson("History", 5).await?,
    ];
    let revise = LessonCommand::Revise {
        title: None,
        description: None,
        subject: Some(Subject::parse("Geography")?),
        grade_level: None,
        content: None,
    };
    school.lessons.execute(lessons[3], &revise, &ctx()).await?;
    let request = school
        .request_content(lessons[3], teacher, &[ContentPart::Quiz], None)
        .await?;

    let science = NewClass {
        subject: "Science",
        grade_level: 7,
        max_students: 10,
    };
    let art = NewClass {
        subject: "Art",
        grade_level: 3,
        max_students: 10,
    };
    let classes = [
        school.create_class(teacher, science).await?,
        school.create_class(teacher, art).await?,
    ];
    school.enroll(classes[0], students[0]).await?;
    school.enroll(classes[0], students[1]).await?;
    school.enroll(classes[1], students[2]).await?;
    school.enroll(classes[1], students[3]).await?;
    school.unenroll(classes[1], students[3]).await?;
    school.assign(classes[0], lessons[0]).await?;
    school.assign(classes[0], lessons[1]).await?;
    school.assign(classes[1], lessons[0]).await?;
    school.assign(classes[1], lessons[2]).await?;

    let done = school.start(classes[0], students[0], lessons[0]).await?;
    school.record(done, 40, 10).await?;
    school.record(done, 70, 5).await?;
    school.complete(done, 50).await?;
    let half = school.start(classes[0], students[0], lessons[1]).await?;
    school.record(half, 50, 20).await?;
    let little = school.start(classes[0], students[1], lessons[0]).await?;
    school.record(little, 20, 0).await?;
    school.start(classes[1], students[2], lessons[0]).await?;
    let art = school.start(classes[1], students[2], lessons[2]).await?;
    school.complete(art, 30).await?;
    Ok(Activity {
        teacher,
        classes,
        students,
        lessons,
        request,
    })
}

/// Record an agent step on content request `request`'s stream, as the agent pipeline
/// does: an `AgentStepCompleted` or `AgentStepFailed` of `agent` (one of the pipeline's
/// agents, e.g. `quiz`), appended straight to the log in its stored form.
pub async fn agent_step(
    world: &World,
    request: Uuid,
    agent: &str,
    succeeded: bool,
    duration_ms: u64,
) -> anyhow::Result<()> {
    let agent = AgentName::parse(agent)?;
    let event = if succeeded {
        ContentRequestEvent::AgentStepCompleted {
            agent,
            attempt: 1,
            output: serde_json::json!({}),
            duration_ms,
            provider: "offline".into(),
            model: "template".into(),
            usage: None,
        }
    } else {
        ContentRequestEvent::AgentStepFailed {
            agent,
            attempt: 1,
            reason: "the model said nothing".into(),
            duration_ms,
            provider: Some("offline".into()),
        }
    };
    let mut new = NewEvent::new(event.event_type(), event.to_payload());
    new.schema_version = event.schema_version();
    world
        .lessons
        .store()
        .append(Append::new(
            StreamId::new("content", request)?,
            ExpectedVersion::Any,
            vec![new],
        ))
        .await?;
    Ok(())
}

/// Every row of each of `tables`, in `read`, for comparing a live run with a rebuild.
pub async fn all_rows(
    pool: &sqlx::PgPool,
    tables: &[(&str, &str)],
) -> anyhow::Result<Vec<Vec<String>>> {
    let mut rows = Vec::new();
    for (table, order) in tables {
        rows.push(crate::school::table_rows(pool, table, order).await?);
    }
    Ok(rows)
}
