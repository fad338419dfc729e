//! The business rules of Lectern: aggregates, their commands, events and value types.
//!
//! Every aggregate lives in its own module and offers two pure functions, `decide`
//! (command on state -> events or a rejection) and `evolve` (state + event -> state),
//! through the [`Aggregate`] trait. Value types parse raw input into valid values, so a
//! built command is already valid.
//!
//! This crate must not do I/O: no tokio, no sqlx, no clocks or randomness inside
//! `decide`/`evolve` (ids and times come in on the command). The store is in `eventstore`,
//! running commands is `commands`' job.
//!
//! Layout: [`values`] holds the value types, [`lesson`] the lesson aggregate, [`user`] the
//! user account aggregate, [`access`] the permissions of each role, and [`testing`] the
//! given/when/then helper every aggregate's tests use.

pub mod access;
mod aggregate;
pub mod lesson;
pub mod payload;
pub mod testing;
pub mod user;
pub mod values;

pub use access::Permission;
pub use aggregate::{Aggregate, DecodeError, DomainEvent, Rejection, RejectionKind};
pub use lesson::{
    Lesson, LessonCommand, LessonDetails, LessonEvent, LessonRejection, LessonStatus,
};
pub use user::{User, UserCommand, UserDetails, UserEvent, UserRejection};
pub use values::{
    Description, DisplayName, Email, GradeLevel, LessonContent, LessonId, Password, PasswordHash,
    Role, Subject, Title, UserId, Username, ValueError,
};
