//! Commands from a page: run as the API runs its commands, as the page's user, with the
//! request's id and trace context.

use api::command::CommandRequest;
use api::request_id::Origin;

use crate::session::Session;

/// A command of this page's user; `version` is the version the page showed (a stream
/// changed since is refused with 412, not overwritten).
pub fn command_request(session: &Session, origin: Origin, version: Option<i64>) -> CommandRequest {
    CommandRequest {
        user: session.authenticated(),
        expected_version: version,
        idempotency: None,
        origin,
    }
}
