//! Attaching generated content to a lesson: the last step of an agent's work on a content
//! request, before it marks the request generated.
//!
//! The lesson decides whether it can still take content (a draft or in review, else 422
//! `lesson-not-editable`). That the content request is this lesson's and still wanted is
//! another aggregate's state, so it is checked here, from the request's own stream (not the
//! read model, which may be behind), right before the command.

use axum::extract::State;
use domain::{
    ContentRequestId, ContentRequestRejection, ContentRequestStatus, LessonCommand, LessonId,
    Permission, Rejection,
};

use super::LessonPath;
use super::dto::AttachGeneratedContent;
use crate::command::{CommandAccepted, CommandRequest, CommandResponse};
use crate::extract::Json;
use crate::openapi::{CommandErrors, CommandHeaders};
use crate::{ApiError, AppState};

/// `content-request-of-another-lesson` (422): the content request named in the body was
/// made for another lesson.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("content request {request} was made for lesson {requested_for}, not for lesson {lesson}")]
pub struct RequestOfAnotherLesson {
    pub request: ContentRequestId,
    pub requested_for: LessonId,
    pub lesson: LessonId,
}

impl Rejection for RequestOfAnotherLesson {
    fn rule(&self) -> &'static str {
        "content-request-of-another-lesson"
    }
}

/// Attach a content request's generated content to its lesson.
///
/// Agents and admins. The content is kept beside what the author wrote (the lesson's
/// `content` is not replaced) and replaces any generated content attached before. The
/// content request must be this lesson's (404 `content-request-not-found`, 422
/// `content-request-of-another-lesson`) and neither cancelled nor failed (422
/// `content-request-already-cancelled`, `content-request-finished`); the lesson must be a
/// draft or in review (422 `lesson-not-editable`; 404 `lesson-not-found`).
#[utoipa::path(
    post, path = "/v1/lessons/{id}/generated-content", tag = "lessons",
    request_body = AttachGeneratedContent,
    params(("id" = Uuid, Path, description = "The lesson's id"), CommandHeaders),
    responses(
        (status = OK, description = "Attached", body = CommandAccepted,
         headers(("ETag" = String, description = "The lesson's version"))),
        CommandErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn attach(
    State(state): State<AppState>,
    LessonPath(lesson): LessonPath,
    request: CommandRequest,
    Json(body): Json<AttachGeneratedContent>,
) -> Result<CommandResponse, ApiError> {
    request.require(Permission::SubmitAgentResults)?;
    let request_id = body.content_request_id;
    let (_, requested) = state.content_requests.state(request_id.as_uuid()).await?;
    let Some(details) = requested.details() else {
        return Err(ApiError::rejected(ContentRequestRejection::NotFound));
    };
    if details.lesson_id != lesson {
        return Err(ApiError::rejected(RequestOfAnotherLesson {
            request: request_id,
            requested_for: details.lesson_id,
            lesson,
        }));
    }
    match requested.status() {
        ContentRequestStatus::Cancelled => {
            return Err(ApiError::rejected(
                ContentRequestRejection::AlreadyCancelled,
            ));
        }
        status @ ContentRequestStatus::Failed => {
            return Err(ApiError::rejected(ContentRequestRejection::Finished {
                status,
            }));
        }
        // Generated, too: an agent may mark the request generated before it attaches.
        _ => {}
    }
    let command = LessonCommand::AttachGeneratedContent {
        content_request_id: request_id,
        content: body.content,
    };
    let outcome = request
        .run(&state.lessons, &state.pool, lesson.as_uuid(), &command)
        .await?;
    Ok(CommandResponse::ok(outcome))
}
