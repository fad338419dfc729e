//! A school to project: accounts, lessons, classes, content requests and progress, driven
//! through the command runners as the API drives them. Commands that depend on another
//! aggregate get their proof (`ActiveTeacher`, `PublishedLesson`, `EnrolledWithLesson`…)
//! built from that aggregate's state as the runner loads it from the log.

use commands::{CommandOutcome, CommandRunner};
use domain::{
    ActiveStudent, ActiveTeacher, Class, ClassCommand, ClassId, ClassName, Completion, ContentPart,
    ContentParts, ContentRequest, ContentRequestCommand, ContentRequestId, Description,
    DisplayName, DurationMinutes, EditableLesson, Email, EnrolledWithLesson, GradeLevel,
    LearningObjectives, Lesson, LessonCommand, LessonContent, LessonId, MaxStudents, PasswordHash,
    Progress, ProgressCommand, PublishedLesson, Role, Subject, Theme, Title, User, UserCommand,
    UserId, Username, Xp,
};
use uuid::Uuid;

use crate::{World, ctx};

/// A PHC string of the argon2id shape; nothing here verifies it.
const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA";

/// One runner per aggregate, all on the world's store.
pub struct School {
    pub users: CommandRunner<User>,
    pub lessons: CommandRunner<Lesson>,
    pub classes: CommandRunner<Class>,
    pub requests: CommandRunner<ContentRequest>,
    pub progress: CommandRunner<Progress>,
}

/// What a class is created with.
pub struct NewClass<'a> {
    pub subject: &'a str,
    pub grade_level: i64,
    pub max_students: i64,
}

impl School {
    pub fn new(world: &World) -> Self {
        let store = world.lessons.store();
        Self {
            users: CommandRunner::new(store.clone()),
            lessons: CommandRunner::new(store.clone()),
            classes: CommandRunner::new(store.clone()),
            requests: CommandRunner::new(store.clone()),
            progress: CommandRunner::new(store.clone()),
        }
    }

    /// A new account with `role` and a username of its own.
    pub async fn register(&self, role: Role) -> anyhow::Result<Uuid> {
        let id = Uuid::now_v7();
        let username = format!("{}-{}", role.as_str(), &id.simple().to_string()[20..]);
        let command = UserCommand::Register {
            user_id: UserId::new(id),
            username: Username::parse(&username)?,
            email: Email::parse(format!("{username}@example.org"))?,
            display_name: DisplayName::parse(format!("User {username}"))?,
            password_hash: PasswordHash::parse(HASH)?,
            role,
        };
        self.users.execute(id, &command, &ctx()).await?;
        Ok(id)
    }

    /// `count` new accounts with `role`.
    pub async fn register_many(&self, role: Role, count: usize) -> anyhow::Result<Vec<Uuid>> {
        let mut ids = Vec::with_capacity(count);
        for _ in 0..count {
            ids.push(self.register(role).await?);
        }
        Ok(ids)
    }

    pub async fn link_parent(&self, student: Uuid, parent: Uuid) -> anyhow::Result<()> {
        let link = UserCommand::LinkParent {
            parent_id: UserId::new(parent),
        };
        self.users.execute(student, &link, &ctx()).await?;
        Ok(())
    }

    /// A draft lesson.
    pub async fn draft_lesson(&self, subject: &str, grade_level: i64) -> anyhow::Result<Uuid> {
        let id = Uuid::now_v7();
        let draft = LessonCommand::Draft {
            lesson_id: LessonId::new(id),
            title: Title::parse(format!("{subject} for grade {grade_level}"))?,
            description: Description::parse("About things")?,
            subject: Subject::parse(subject)?,
            grade_level: GradeLevel::parse(grade_level)?,
            content: LessonContent::parse(serde_json::json!({ "sections": 1 }))?,
            author: UserId::new(Uuid::now_v7()),
        };
        self.lessons.execute(id, &draft, &ctx()).await?;
        Ok(id)
    }

    /// A lesson drafted, reviewed, approved and published.
    pub async fn published_lesson(&self, subject: &str, grade_level: i64) -> anyhow::Result<Uuid> {
        let id = self.draft_lesson(subject, grade_level).await?;
        let steps = [
            LessonCommand::SubmitForReview,
            LessonCommand::Approve {
                reviewer: UserId::new(Uuid::now_v7()),
            },
            LessonCommand::Publish,
        ];
        for step in &steps {
            self.lessons.execute(id, step, &ctx()).await?;
        }
        Ok(id)
    }

    pub async fn create_class(&self, teacher: Uuid, class: NewClass<'_>) -> anyhow::Result<Uuid> {
        let id = Uuid::now_v7();
        let (_, teacher) = self.users.state(teacher).await?;
        let create = ClassCommand::Create {
            class_id: ClassId::new(id),
            name: ClassName::parse(format!("{} {}", class.subject, class.grade_level))?,
            subject: Subject::parse(class.subject)?,
            grade_level: GradeLevel::parse(class.grade_level)?,
            max_students: MaxStudents::parse(class.max_students)?,
            teacher: ActiveTeacher::check(&teacher)?,
        };
        self.classes.execute(id, &create, &ctx()).await?;
        Ok(id)
    }

    pub async fn enroll(&self, class: Uuid, student: Uuid) -> anyhow::Result<CommandOutcome> {
        let (_, student) = self.users.state(student).await?;
        let enroll = ClassCommand::Enroll {
            student: ActiveStudent::check(&student)?,
        };
        Ok(self.classes.execute(class, &enroll, &ctx()).await?)
    }

    pub async fn unenroll(&self, class: Uuid, student: Uuid) -> anyhow::Result<()> {
        let unenroll = ClassCommand::Unenroll {
            student_id: UserId::new(student),
        };
        self.classes.execute(class, &unenroll, &ctx()).await?;
        Ok(())
    }

    pub async fn assign(&self, class: Uuid, lesson: Uuid) -> anyhow::Result<()> {
        let (_, lesson) = self.lessons.state(lesson).await?;
        let assign = ClassCommand::AssignLesson {
            lesson: PublishedLesson::check(&lesson)?,
        };
        self.classes.execute(class, &assign, &ctx()).await?;
        Ok(())
    }

    pub async fn unassign(&self, class: Uuid, lesson: Uuid) -> anyhow::Result<()> {
        let unassign = ClassCommand::UnassignLesson {
            lesson_id: LessonId::new(lesson),
        };
        self.classes.execute(class, &unassign, &ctx()).await?;
        Ok(())
    }

    pub async fn archive(&self, class: Uuid) -> anyhow::Result<()> {
        self.classes
            .execute(class, &ClassCommand::Archive, &ctx())
            .await?;
        Ok(())
    }

    /// A content request for a draft (or in-review) lesson.
    pub async fn request_content(
        &self,
        lesson: Uuid,
        requested_by: Uuid,
        parts: &[ContentPart],
        theme: Option<&str>,
    ) -> anyhow::Result<Uuid> {
        let id = Uuid::now_v7();
        let (_, lesson) = self.lessons.state(lesson).await?;
        let request = ContentRequestCommand::Request {
            request_id: ContentRequestId::new(id),
            lesson: EditableLesson::check(&lesson)?,
            requested_by: UserId::new(requested_by),
            objectives: LearningObjectives::parse(["Name the parts", "Explain the cycle"])?,
            duration_minutes: DurationMinutes::parse(45)?,
            parts: ContentParts::parse(parts.iter().copied())?,
            theme: theme.map(Theme::parse).transpose()?,
        };
        self.requests.execute(id, &request, &ctx()).await?;
        Ok(id)
    }

    /// Cancel, mark generated or mark failed.
    pub async fn finish_request(
        &self,
        request: Uuid,
        how: ContentRequestCommand,
    ) -> anyhow::Result<()> {
        self.requests.execute(request, &how, &ctx()).await?;
        Ok(())
    }

    /// Start `lesson` from `class`; the proof comes from the class as the log has it.
    pub async fn start(&self, class: Uuid, student: Uuid, lesson: Uuid) -> anyhow::Result<Uuid> {
        let (_, class) = self.classes.state(class).await?;
        let proof = EnrolledWithLesson::check(&class, UserId::new(student), LessonId::new(lesson))?;
        let id = proof.progress_id().as_uuid();
        let start = ProgressCommand::Start { class: proof };
        self.progress.execute(id, &start, &ctx()).await?;
        Ok(id)
    }

    pub async fn record(
        &self,
        progress: Uuid,
        completion: i64,
        xp_earned: i64,
    ) -> anyhow::Result<()> {
        let record = ProgressCommand::Record {
            completion: Completion::parse(completion)?,
            xp_earned: Xp::parse(xp_earned)?,
        };
        self.progress.execute(progress, &record, &ctx()).await?;
        Ok(())
    }

    pub async fn complete(&self, progress: Uuid, xp_awarded: i64) -> anyhow::Result<()> {
        let complete = ProgressCommand::Complete {
            xp_awarded: Xp::parse(xp_awarded)?,
        };
        self.progress.execute(progress, &complete, &ctx()).await?;
        Ok(())
    }
}

/// Advance `projection` to the log's head in steps of `step` positions, as a live worker
/// does batch by batch; returns the head.
pub async fn advance_in_steps<P: projections::Projection>(
    world: &World,
    projection: &P,
    step: usize,
) -> anyhow::Result<i64> {
    let head = eventstore::read::head(&world.db.pool).await?;
    for until in (1..=head).step_by(step).chain([head]) {
        projections::advance_to(&world.db.pool, projection, until).await?;
    }
    Ok(head)
}

/// Advance `projection` to the log's head at once.
pub async fn advance<P: projections::Projection>(
    world: &World,
    projection: &P,
) -> anyhow::Result<i64> {
    let head = eventstore::read::head(&world.db.pool).await?;
    Ok(projections::advance_to(&world.db.pool, projection, head).await?)
}

/// Every row of `table` in schema `read` as JSON text, in `order`: rows of any shape
/// compared in one line.
pub async fn table_rows(
    pool: &sqlx::PgPool,
    table: &str,
    order: &str,
) -> anyhow::Result<Vec<String>> {
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT row_to_json(t)::text FROM read.{table} t ORDER BY {order}"
    )))
    .fetch_all(pool)
    .await?)
}

/// Apply the projection's events again, on a model that already reflects them: the whole
/// log, then every prefix of it, longest first (stale redeliveries of old ranges, none of
/// which a later, longer one could mend), in one transaction. A projection that tolerates
/// events it has applied changes nothing.
pub async fn apply_again<P: projections::Projection>(
    world: &World,
    projection: &P,
) -> anyhow::Result<()> {
    let filter = eventstore::LogFilter::categories(projection.categories().iter().copied());
    let events = eventstore::read::log(&world.db.pool, 0, &filter, 100_000).await?;
    let mut tx = world.db.pool.begin().await?;
    sqlx::query("SET LOCAL search_path TO read")
        .execute(&mut *tx)
        .await?;
    projection.apply(&mut tx, &events).await?;
    for end in (1..events.len()).rev() {
        projection.apply(&mut tx, &events[..end]).await?;
    }
    tx.commit().await?;
    Ok(())
}
