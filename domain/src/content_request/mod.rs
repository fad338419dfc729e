//! The content request aggregate: someone asks for generated content for a lesson (which
//! parts, for which objectives, how long, in which theme); agent workers pick the request
//! up from its `ContentRequested` event and, when they are done, mark it generated (with
//! their outputs) or failed. It can be cancelled while it is not finished. Stream
//! `content-<uuid>`.
//!
//! The life of a request: `requested` → `in_progress` (the first agent step started) →
//! `generated` | `failed` | `cancelled`. Each agent step is recorded as it starts and as it
//! completes or fails, with a numbered attempt; the supervisor in `agents` decides which
//! step comes next, this aggregate only that a step's record makes sense (it started
//! before it ended, once) and that nothing happens to a finished request.
//!
//! `commands`, `events`, `state` and `rejection` hold the types; `decide` holds every rule;
//! `proofs` holds the lesson fact a request depends on.

mod commands;
mod decide;
mod events;
pub mod proofs;
mod rejection;
mod state;

pub use commands::ContentRequestCommand;
pub use events::{ContentRequestEvent, TokenUsage};
pub use proofs::EditableLesson;
pub use rejection::ContentRequestRejection;
pub use state::{
    AgentStep, ContentRequest, ContentRequestDetails, ContentRequestStatus, StepOutcome,
};

use crate::Aggregate;
use crate::values::ContentRequestId;

impl Aggregate for ContentRequest {
    const CATEGORY: &'static str = ContentRequestId::CATEGORY;
    type Command = ContentRequestCommand;
    type Event = ContentRequestEvent;
    type Rejection = ContentRequestRejection;

    fn decide(
        &self,
        command: &ContentRequestCommand,
    ) -> Result<Vec<ContentRequestEvent>, ContentRequestRejection> {
        decide::decide(self, command)
    }

    fn evolve(self, event: &ContentRequestEvent) -> Self {
        state::evolve(self, event)
    }
}
