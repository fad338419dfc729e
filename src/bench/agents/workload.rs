//! The `bench agents` workload: a teacher drafting lessons and requesting their content.

use anyhow::Context;
use commands::{Actor, CommandContext, CommandRunner};
use domain::{
    ContentParts, ContentRequest, ContentRequestCommand, ContentRequestId, Description,
    DurationMinutes, EditableLesson, GradeLevel, LearningObjectives, Lesson, LessonCommand,
    LessonContent, LessonId, Subject, Title, UserId,
};
use uuid::Uuid;

/// The teacher submitting the requests, through `commands`.
pub(super) struct Teacher {
    pub(super) id: UserId,
    pub(super) lessons: CommandRunner<Lesson>,
    pub(super) requests: CommandRunner<ContentRequest>,
    pub(super) parts: ContentParts,
}

impl Teacher {
    fn context(&self) -> CommandContext {
        CommandContext::by(Actor {
            id: self.id.as_uuid(),
            role: domain::Role::Teacher.as_str().to_owned(),
        })
    }

    pub(super) async fn draft(&self, n: usize) -> anyhow::Result<LessonId> {
        let id = LessonId::new(Uuid::now_v7());
        let draft = LessonCommand::Draft {
            lesson_id: id,
            title: Title::parse(format!("The water cycle, part {}", n + 1))?,
            description: Description::empty(),
            subject: Subject::parse("Science")?,
            grade_level: GradeLevel::parse(i64::try_from(4 + n % 6)?)?,
            content: LessonContent::empty(),
            author: self.id,
        };
        self.lessons
            .execute(id.as_uuid(), &draft, &self.context())
            .await
            .context("drafting a lesson")?;
        Ok(id)
    }

    /// Request the parts for `lesson`, checked against its state as of now.
    pub(super) async fn request(&self, lesson: LessonId) -> anyhow::Result<()> {
        let (_, state) = self.lessons.state(lesson.as_uuid()).await?;
        let id = ContentRequestId::new(Uuid::now_v7());
        let command = ContentRequestCommand::Request {
            request_id: id,
            lesson: EditableLesson::check(&state)?,
            requested_by: self.id,
            objectives: LearningObjectives::parse([
                "Describe how water evaporates and condenses",
                "Explain why rain falls",
            ])?,
            duration_minutes: DurationMinutes::parse(40)?,
            parts: self.parts.clone(),
            theme: None,
        };
        self.requests
            .execute(id.as_uuid(), &command, &self.context())
            .await?;
        Ok(())
    }
}
