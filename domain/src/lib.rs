//! The business rules of Lectern: aggregates, their commands, events and value types.
//!
//! Every aggregate lives in its own module and offers two pure functions, `decide`
//! (command on state -> events or a rejection) and `evolve` (state + event -> state),
//! through the [`Aggregate`] trait. Value types parse raw input into valid values, so a
//! built command is already valid.
//!
//! An aggregate sees only its own stream. Where a rule depends on another aggregate (the
//! teacher of a class is an active teacher, a started lesson is assigned to the student's
//! class), the command carries a proof type that only that aggregate's current state can
//! build (`ActiveTeacher::check(&User)`, `EnrolledWithLesson::check(&Class, …)`); each
//! aggregate's `proofs` module says why that is correct enough.
//!
//! This crate must not do I/O: no tokio, no sqlx, no clocks or randomness inside
//! `decide`/`evolve` (ids and times come in on the command). The store is in `eventstore`,
//! running commands is `commands`' job.
//!
//! Layout: [`values`] holds the value types; [`user`], [`lesson`], [`class`],
//! [`content_request`] and [`progress`] the aggregates (stream categories `user`, `lesson`,
//! `class`, `content`, `progress`); [`signin`] the record of sign-ins and refused token
//! refreshes kept for auditors (category `signin`); [`access`] the permissions of each
//! role; [`upcast`] how a payload stored in an older schema version of its event type is
//! read in the current shape (each aggregate lists its upcasters beside its events); and
//! [`testing`] the given/when/then helper every aggregate's tests use.
//!
//! The modules depend one way, each only on those below it: `values` and `aggregate` (the
//! traits) at the bottom; `access` (on values), `upcast` (on aggregate), `payload` (on
//! both of those); then the aggregates `user`, `lesson` and `signin`; `class` (which
//! takes proofs from a user and a lesson) and `content_request` (from a lesson); and
//! `progress` (from a class). A stream category is defined once, on its id type
//! (`LessonId::CATEGORY`), and the aggregate's [`Aggregate::CATEGORY`] is that constant, so
//! values never import an aggregate.
//!
//! Neighbours: it uses no other Lectern crate; `commands` runs its aggregates against the
//! store, `api` and `agents` build its commands and values, `projections` read its events.

pub mod access;
mod aggregate;
pub mod class;
pub mod content_request;
pub mod lesson;
pub mod payload;
pub mod progress;
pub mod signin;
pub mod testing;
pub mod upcast;
pub mod user;
pub mod values;

pub use access::Permission;
pub use aggregate::{Aggregate, DecodeError, DomainEvent, Rejection, RejectionKind};
pub use class::{
    ActiveStudent, ActiveTeacher, Class, ClassCommand, ClassDetails, ClassEvent, ClassRejection,
    ClassStatus, Ineligible, PublishedLesson,
};
pub use content_request::{
    AgentStep, ContentRequest, ContentRequestCommand, ContentRequestDetails, ContentRequestEvent,
    ContentRequestRejection, ContentRequestStatus, EditableLesson, StepOutcome, TokenUsage,
};
pub use lesson::{
    GeneratedContent, Lesson, LessonCommand, LessonDetails, LessonEvent, LessonRejection,
    LessonStatus,
};
pub use progress::{
    EnrolledWithLesson, Progress, ProgressCommand, ProgressDetails, ProgressEvent,
    ProgressRejection, ProgressStatus,
};
pub use signin::{RefreshRefusal, SignInCommand, SignInEvent, SignInFailure, SignInRecord};
pub use user::{User, UserCommand, UserDetails, UserEvent, UserRejection};
pub use values::{
    AgentName, ClassId, ClassName, Completion, ContentPart, ContentParts, ContentRequestId,
    Description, DisplayName, DurationMinutes, Email, GradeLevel, LearningObjectives,
    LessonContent, LessonId, MaxStudents, Password, PasswordHash, ProgressId, Reason, Role,
    Subject, Theme, Title, UserId, Username, ValueError, Xp,
};
