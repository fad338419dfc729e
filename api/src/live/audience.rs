//! Who receives which event on a live feed, decided by the REST reads' own rules (called
//! here, never restated): a feed shows an event only to a caller whom the REST read of the
//! same aggregate would show it to.
//!
//! - [`may_follow`]: may the caller open `/v1/live/streams/{stream}`? Auditors and admins
//!   (`read:streams`) any stream; others a stream whose aggregate the REST reads show
//!   them. A lesson's stream counts as unpublished (it holds the drafts), so it is its
//!   author's and the reviewers' and analysts', not every reader's of the published lesson.
//! - [`concerns`]: is the event on the caller's `/v1/live/me`? When the caller is a party
//!   to its stream (author, requester, teacher, student, account holder) and the REST rule
//!   for that aggregate lets them see it; a class's enrollment events also concern the
//!   student they name.

use domain::Permission;
use uuid::Uuid;

use super::stake::Stake;
use crate::auth::Authenticated;
use crate::{ApiError, AppState, classes, content_requests, lessons, progress, users};

/// Event types on a class's stream that name a student (`student_id`) who is a party to
/// them.
const ENROLLMENT_EVENTS: [&str; 2] = ["StudentEnrolled", "StudentUnenrolled"];

/// May `user` follow a stream with this stake? (The REST read rule of its aggregate.)
pub async fn may_follow(
    state: &AppState,
    user: &Authenticated,
    stream_id: &str,
    stake: Stake,
) -> Result<bool, ApiError> {
    if user.can(Permission::ReadStreams) {
        return Ok(true);
    }
    Ok(match stake {
        Stake::Lesson { author } => lessons::may_see_lesson(user, author, false),
        Stake::Class { teacher } => classes::may_see_class(user, teacher),
        Stake::Content { requester } => content_requests::may_see_request(user, requester),
        Stake::Progress { student, teacher } => {
            teacher.is_some_and(|teacher| classes::may_see_class(user, teacher))
                || progress::may_see_progress(state, user, domain::UserId::new(student)).await?
        }
        Stake::User { account } => {
            let parents = if account == user.user_id {
                Vec::new()
            } else {
                let (_, holder) = state.users.state(account).await?;
                holder.parents().iter().map(|p| p.as_uuid()).collect()
            };
            users::may_see_user(user, account, &parents)
        }
        Stake::Other => {
            tracing::debug!(stream_id, "a stream without a party is for auditors only");
            false
        }
    })
}

/// Is this event (of a stream with `stake`) on `user`'s `/v1/live/me`?
pub fn concerns(
    user: &Authenticated,
    stake: Stake,
    event_type: &str,
    payload: &serde_json::Value,
) -> bool {
    let me = user.user_id;
    match stake {
        Stake::Lesson { author } => author == me && lessons::may_see_lesson(user, author, false),
        Stake::Class { teacher } => {
            (teacher == me && classes::may_see_class(user, teacher))
                || (ENROLLMENT_EVENTS.contains(&event_type) && names(payload, "student_id", me))
        }
        Stake::Content { requester } => {
            requester == me && content_requests::may_see_request(user, requester)
        }
        Stake::Progress { student, teacher } => {
            (student == me && user.can(Permission::ReadOwnProgress))
                || (teacher == Some(me) && classes::may_see_class(user, me))
        }
        Stake::User { account } => account == me,
        Stake::Other => false,
    }
}

fn names(payload: &serde_json::Value, field: &str, user: Uuid) -> bool {
    payload
        .get(field)
        .and_then(serde_json::Value::as_str)
        .and_then(|id| id.parse::<Uuid>().ok())
        == Some(user)
}
