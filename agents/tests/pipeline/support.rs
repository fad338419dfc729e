//! A store with a draft lesson, content requests on it, and providers that misbehave on
//! purpose (wrapping the offline one).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use agents::Task;
use agents::provider::offline::Offline;
use agents::provider::{Completion, Provider, ProviderError};
use agents::supervisor::Supervisor;
use commands::{Actor, CommandContext, CommandRunner};
use domain::{
    AgentName, ContentParts, ContentRequest, ContentRequestCommand, ContentRequestId, Description,
    DurationMinutes, EditableLesson, GradeLevel, LearningObjectives, Lesson, LessonCommand,
    LessonContent, LessonId, Subject, Title, UserId,
};
use eventstore::{Direction, EventStore, RecordedEvent};
use futures::future::BoxFuture;
use testkit::TestDb;
use tokio::time::Instant;
use uuid::Uuid;

pub struct World {
    pub db: TestDb,
    pub requests: Arc<CommandRunner<ContentRequest>>,
    pub lessons: Arc<CommandRunner<Lesson>>,
    pub teacher: UserId,
}

impl World {
    pub async fn new() -> anyhow::Result<Self> {
        let db = TestDb::create().await?;
        let store = EventStore::start(db.pool.clone()).await?;
        Ok(Self {
            requests: Arc::new(CommandRunner::new(store.clone())),
            lessons: Arc::new(CommandRunner::new(store)),
            db,
            teacher: UserId::new(Uuid::now_v7()),
        })
    }

    fn as_teacher(&self) -> CommandContext {
        CommandContext::by(Actor {
            id: self.teacher.as_uuid(),
            role: "teacher".to_owned(),
        })
    }

    /// A draft lesson of grade `grade`.
    pub async fn lesson(&self, grade: u8) -> anyhow::Result<LessonId> {
        let id = LessonId::new(Uuid::now_v7());
        let draft = LessonCommand::Draft {
            lesson_id: id,
            title: Title::parse("The water cycle")?,
            description: Description::empty(),
            subject: Subject::parse("Science")?,
            grade_level: GradeLevel::parse(i64::from(grade))?,
            content: LessonContent::empty(),
            author: self.teacher,
        };
        self.lessons
            .execute(id.as_uuid(), &draft, &self.as_teacher())
            .await?;
        Ok(id)
    }

    /// Request `parts` for `lesson`; the `ContentRequested` event it recorded.
    pub async fn request(&self, lesson: LessonId, parts: &[&str]) -> anyhow::Result<RecordedEvent> {
        let (_, state) = self.lessons.state(lesson.as_uuid()).await?;
        let id = ContentRequestId::new(Uuid::now_v7());
        let command = ContentRequestCommand::Request {
            request_id: id,
            lesson: EditableLesson::check(&state)?,
            requested_by: self.teacher,
            objectives: LearningObjectives::parse([
                "Describe how water evaporates and condenses",
                "Explain why rain falls",
            ])?,
            duration_minutes: DurationMinutes::parse(40)?,
            parts: ContentParts::parse_names(parts.iter().copied())?,
            theme: None,
        };
        self.requests
            .execute(id.as_uuid(), &command, &self.as_teacher())
            .await?;
        let events = self.events(id.as_uuid()).await?;
        Ok(events
            .into_iter()
            .next()
            .expect("the request's first event"))
    }

    pub async fn cancel(&self, request: Uuid) -> anyhow::Result<()> {
        let cancel = ContentRequestCommand::Cancel { reason: None };
        self.requests
            .execute(request, &cancel, &self.as_teacher())
            .await?;
        Ok(())
    }

    pub fn supervisor(&self, provider: impl Provider) -> Supervisor {
        Supervisor::new(
            self.requests.clone(),
            self.lessons.clone(),
            Arc::new(provider),
        )
    }

    /// Every event of content request `id`, in order.
    pub async fn events(&self, id: Uuid) -> anyhow::Result<Vec<RecordedEvent>> {
        let stream = format!("content-{id}");
        Ok(eventstore::read::stream(&self.db.pool, &stream, 0, Direction::Forward, 10_000).await?)
    }

    /// The event types of content request `id`, in order.
    pub async fn types(&self, id: Uuid) -> anyhow::Result<Vec<String>> {
        Ok(self
            .events(id)
            .await?
            .into_iter()
            .map(|e| e.event_type)
            .collect())
    }

    pub async fn request_state(&self, id: Uuid) -> anyhow::Result<ContentRequest> {
        Ok(self.requests.state(id).await?.1)
    }

    pub async fn lesson_state(&self, id: LessonId) -> anyhow::Result<Lesson> {
        Ok(self.lessons.state(id.as_uuid()).await?.1)
    }
}

pub fn request_uuid(trigger: &RecordedEvent) -> Uuid {
    eventstore::StreamId::parse(&trigger.stream_id)
        .expect("a stream id")
        .id()
}

/// How many events of `event_type` are in `types`.
pub fn count(types: &[String], event_type: &str) -> usize {
    types.iter().filter(|t| *t == event_type).count()
}

/// Rewrites an agent's answer: `(task, offline answer) -> answer`.
type Tamper = Box<dyn Fn(&Task, String) -> String + Send + Sync>;

/// The offline provider, with some agents' answers rewritten, some calls failing, or
/// calls slowed down; it remembers every task it was given.
pub struct Scripted {
    inner: Offline,
    name: String,
    tamper: HashMap<AgentName, Tamper>,
    unavailable: bool,
    delay: Option<(AgentName, Duration)>,
    pub tasks: Arc<Mutex<Vec<Task>>>,
}

impl Default for Scripted {
    fn default() -> Self {
        Self {
            inner: Offline::new(),
            name: "scripted".to_owned(),
            tamper: HashMap::new(),
            unavailable: false,
            delay: None,
            tasks: Arc::default(),
        }
    }
}

impl Scripted {
    pub fn new() -> Self {
        Self::default()
    }

    /// Answer as the provider `name` (`scripted` otherwise), e.g. so that its metric
    /// series belong to one test.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Rewrite `agent`'s answers with `tamper`.
    pub fn tamper(
        mut self,
        agent: AgentName,
        tamper: impl Fn(&Task, String) -> String + Send + Sync + 'static,
    ) -> Self {
        self.tamper.insert(agent, Box::new(tamper));
        self
    }

    /// Every call fails as if the provider were down.
    pub fn unavailable(mut self) -> Self {
        self.unavailable = true;
        self
    }

    /// Calls for `agent` take `delay` first.
    pub fn slow(mut self, agent: AgentName, delay: Duration) -> Self {
        self.delay = Some((agent, delay));
        self
    }
}

impl Provider for Scripted {
    fn name(&self) -> &str {
        &self.name
    }

    fn model(&self) -> &str {
        "offline-with-faults"
    }

    fn complete<'a>(&'a self, task: &'a Task) -> BoxFuture<'a, Result<Completion, ProviderError>> {
        Box::pin(async move {
            self.tasks.lock().unwrap().push(task.clone());
            if let Some((agent, delay)) = self.delay
                && agent == task.agent
            {
                let until = Instant::now() + delay;
                tokio::time::sleep_until(until).await;
            }
            if self.unavailable {
                return Err(ProviderError::Unavailable {
                    provider: self.name.clone(),
                    message: "503 Service Unavailable".to_owned(),
                });
            }
            let mut completion = self.inner.complete(task).await?;
            if let Some(tamper) = self.tamper.get(&task.agent) {
                completion.text = tamper(task, completion.text);
            }
            completion.provider = self.name.clone();
            Ok(completion)
        })
    }
}

/// The steps counted for `agent` by `provider` with `outcome`, and how many durations
/// were recorded for them: (0, 0) while the series do not exist. Call
/// `testkit::metrics::recorder()` before the steps run, or nothing records them.
pub fn steps_recorded(agent: AgentName, provider: &str, outcome: &str) -> (f64, f64) {
    let rendered = testkit::metrics::recorder().render();
    let labels = [
        ("agent", agent.as_str()),
        ("provider", provider),
        ("outcome", outcome),
    ];
    let sample = |name: &str| testkit::metrics::sample(&rendered, name, &labels).unwrap_or(0.0);
    (
        sample(agents::metric::STEPS),
        sample(&format!("{}_count", agents::metric::STEP_SECONDS)),
    )
}
