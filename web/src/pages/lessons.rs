//! The lessons: a list with filters (a teacher's own lessons in every status, everybody's
//! published ones), a form to draft one with the domain's refusals shown on it, and a
//! lesson's page with the next steps of its life. Each page asks the same rules as its REST
//! twin (`GET /v1/lessons`, `POST /v1/lessons`, `GET /v1/lessons/{id}`, the transitions),
//! through the same functions of the `api` crate.

use api::consistency::{self, Consistency};
use api::lessons::{DraftLesson, ListLessons};
use api::request_id::Origin;
use api::{ApiError, AppState};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::{LessonCommand, LessonStatus, Permission, UserId};
use maud::{Markup, html};
use projections::lessons::{self, LessonRow, Lessons};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::command::command_request;
use crate::error::WebError;
use crate::layout;
use crate::session::{Posted, Session};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/lessons", get(list).post(draft))
        .route("/lessons/new", get(new))
        .route("/lessons/{id}", get(show))
        .route("/lessons/{id}/{step}", post(step))
}

/// The list's filters, as a form sends them (empty means any).
#[derive(Debug, Deserialize, Default)]
pub struct Filters {
    #[serde(default)]
    q: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    status: String,
    /// `all`: everybody's published lessons too (default for those who author nothing).
    #[serde(default)]
    show: String,
}

fn non_empty(value: &str) -> Option<String> {
    Some(value.trim().to_owned()).filter(|v| !v.is_empty())
}

async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(filters): Query<Filters>,
) -> Result<Markup, WebError> {
    let authors = session.caller.can(Permission::CreateContent);
    let mine = authors && filters.show != "all";
    let status = match non_empty(&filters.status) {
        Some(raw) => Some(
            LessonStatus::parse(&raw)
                .map_err(|error| ApiError::invalid_field("status", error.to_string()))?,
        ),
        None => None,
    };
    let query = ListLessons {
        subject: non_empty(&filters.subject),
        grade: None,
        status,
        q: non_empty(&filters.q),
        mine: Some(mine),
        cursor: None,
        limit: Some(200),
    };
    let filter = api::lessons::filter_for(&session.authenticated(), query)?;
    let page = lessons::list(&state.pool, &filter).await?;
    Ok(layout::page(
        &session,
        "Lessons",
        html! {
            h1 { @if mine { "My lessons" } @else { "Lessons" } }
            @if authors {
                div.actions { a.button href="/lessons/new" data-test="new-lesson" { "New lesson" } }
            }
            form.inline method="get" action="/lessons" role="search" {
                label { "Title contains" input name="q" value=(filters.q); }
                label { "Subject" input name="subject" value=(filters.subject); }
                label { "Status"
                    select name="status" {
                        option value="" { "any" }
                        @for status in &LessonStatus::ALL[1..] {
                            option value=(status.as_str()) selected[filters.status == status.as_str()] { (status.as_str()) }
                        }
                    }
                }
                @if authors {
                    label { "Whose"
                        select name="show" {
                            option value="" { "mine" }
                            option value="all" selected[filters.show == "all"] { "everyone's" }
                        }
                    }
                }
                button.secondary type="submit" { "Filter" }
            }
            @if page.lessons.is_empty() {
                p.muted data-test="no-lessons" { "No lessons match." }
            } @else {
                div.table-wrap {
                    table data-test="lessons" {
                        thead { tr { th { "Title" } th { "Subject" } th { "Grade" } th { "Status" } th.wide-only { "Updated" } } }
                        tbody {
                            @for lesson in &page.lessons {
                                tr {
                                    td { a href=(format!("/lessons/{}", lesson.lesson_id)) { (lesson.title) } }
                                    td { (lesson.subject) }
                                    td { (lesson.grade_level) }
                                    td { span.status { (lesson.status.as_str()) } }
                                    td.muted.wide-only { (lesson.updated_at.format("%Y-%m-%d %H:%M")) }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// What the draft form sent.
#[derive(Debug, Deserialize, Default)]
pub struct DraftForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    grade_level: String,
    #[serde(default)]
    description: String,
}

async fn new(session: Session) -> Result<Markup, WebError> {
    session.caller.require(Permission::CreateContent)?;
    Ok(draft_page(&session, &DraftForm::default(), None))
}

/// The form, with what was typed and the refusal (which field, why) when there was one.
fn draft_page(
    session: &Session,
    form: &DraftForm,
    refusal: Option<(Option<String>, String)>,
) -> Markup {
    let field_error = |name: &str| {
        refusal
            .as_ref()
            .filter(|(field, _)| field.as_deref() == Some(name))
            .map(|(_, detail)| detail.clone())
    };
    let field = |name: &'static str, label: &'static str, value: &str, kind: &'static str| {
        let error = field_error(name);
        html! {
            label {
                (label)
                @if kind == "textarea" {
                    textarea name=(name) aria-invalid=[error.as_ref().map(|_| "true")] { (value) }
                } @else {
                    input name=(name) type=(kind) value=(value) aria-invalid=[error.as_ref().map(|_| "true")];
                }
                @if let Some(error) = error { span.field-error data-test=(format!("error-{name}")) { (error) } }
            }
        }
    };
    layout::page(
        session,
        "New lesson",
        html! {
            h1 { "New lesson" }
            @if let Some((None, detail)) = &refusal {
                p.error role="alert" data-test="error" { (detail) }
            }
            form.stack method="post" action="/lessons" {
                input type="hidden" name="_csrf" value=(session.csrf_token);
                (field("title", "Title", &form.title, "text"))
                (field("subject", "Subject", &form.subject, "text"))
                (field("grade_level", "Grade (1–12)", &form.grade_level, "number"))
                (field("description", "Description", &form.description, "textarea"))
                button type="submit" { "Draft the lesson" }
            }
        },
    )
}

/// The form as the API's body: the same parsing, the same rules, the same messages.
fn as_draft(form: &DraftForm) -> Result<DraftLesson, (Option<String>, String)> {
    let grade = form.grade_level.trim();
    let grade: Value = grade
        .parse::<i64>()
        .map(Value::from)
        .unwrap_or_else(|_| Value::from(grade));
    let body = json!({
        "title": form.title,
        "subject": form.subject,
        "grade_level": grade,
        "description": form.description,
    });
    serde_path_to_error::deserialize(body).map_err(|error| {
        let field = error.path().to_string();
        let detail = error.into_inner().to_string();
        (Some(field).filter(|f| f != "."), detail)
    })
}

async fn draft(
    State(state): State<AppState>,
    origin: Origin,
    Posted { session, form }: Posted<DraftForm>,
) -> Result<Response, WebError> {
    let body = match as_draft(&form) {
        Ok(body) => body,
        Err(refusal) => return Ok(refused(draft_page(&session, &form, Some(refusal)))),
    };
    let request = command_request(&session, origin, None);
    match api::lessons::draft_lesson(&state, &request, body).await {
        Ok((lesson, outcome)) => Ok(Redirect::to(&format!(
            "/lessons/{lesson}?after={}",
            outcome.last_position
        ))
        .into_response()),
        Err(error @ ApiError::Command(_)) | Err(error @ ApiError::InvalidField { .. }) => {
            let (problem, _) = error.problem();
            let refusal = (problem.field.clone(), problem.detail);
            Ok(refused(draft_page(&session, &form, Some(refusal))))
        }
        Err(error) => Err(error.into()),
    }
}

fn refused(page: Markup) -> Response {
    (axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

async fn visible(
    state: &AppState,
    session: &Session,
    id: Uuid,
    after: Option<i64>,
) -> Result<LessonRow, WebError> {
    let wait = state.config.consistency_wait();
    consistency::read_position(&state.pool, &Lessons, Consistency { after }, wait).await?;
    lessons::get(&state.pool, id)
        .await?
        .filter(|row| api::lessons::may_see(&session.authenticated(), row))
        .ok_or_else(|| ApiError::NotFound(format!("there is no lesson {id}")).into())
}

#[derive(Debug, Deserialize, Default)]
pub struct After {
    after: Option<i64>,
    /// What the last action refused, to show on the page.
    #[serde(default)]
    refused: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    Query(after): Query<After>,
) -> Result<Markup, WebError> {
    let lesson = visible(&state, &session, id, after.after).await?;
    Ok(lesson_page(&session, &lesson, after.refused.as_deref()))
}

/// The steps of a lesson's life this user may take now: (path segment, label).
fn next_steps(session: &Session, lesson: &LessonRow) -> Vec<(&'static str, &'static str)> {
    let author = lesson.author_id == session.caller.user_id || session.caller.is_admin();
    let reviews = session.caller.can(Permission::ReviewContent);
    let mut steps = Vec::new();
    match lesson.status {
        LessonStatus::Draft if author && session.caller.can(Permission::CreateContent) => {
            steps.push(("submit", "Submit for review"));
        }
        LessonStatus::InReview if reviews => steps.push(("approve", "Approve")),
        LessonStatus::Approved if reviews => steps.push(("publish", "Publish")),
        _ => {}
    }
    if reviews && lesson.status != LessonStatus::Archived {
        steps.push(("archive", "Archive"));
    }
    steps
}

/// Content may be asked for a draft or a lesson in review, by its author (or an admin).
fn asks_for_content(session: &Session, lesson: &LessonRow) -> bool {
    session.caller.can(Permission::RequestContent)
        && (lesson.author_id == session.caller.user_id || session.caller.is_admin())
        && matches!(lesson.status, LessonStatus::Draft | LessonStatus::InReview)
}

fn lesson_page(session: &Session, lesson: &LessonRow, refused: Option<&str>) -> Markup {
    layout::page(
        session,
        &lesson.title,
        html! {
            h1 data-test="lesson-title" { (lesson.title) }
            @if let Some(refused) = refused {
                p.error role="alert" data-test="error" { (refused) }
            }
            dl.facts {
                dt { "Status" } dd { span.status data-test="lesson-status" { (lesson.status.as_str()) } }
                dt { "Subject" } dd { (lesson.subject) }
                dt { "Grade" } dd { (lesson.grade_level) }
                dt { "Version" } dd { (lesson.version) }
                dt { "Updated" } dd { (lesson.updated_at.format("%Y-%m-%d %H:%M UTC")) }
            }
            @if !lesson.description.is_empty() { p { (lesson.description) } }
            div.actions {
                @if asks_for_content(session, lesson) {
                    a.button href=(format!("/content/new?lesson={}", lesson.lesson_id)) data-test="ask-content" { "Ask the agents for content" }
                }
                @for (step, label) in next_steps(session, lesson) {
                    form method="post" action=(format!("/lessons/{}/{step}", lesson.lesson_id)) {
                        input type="hidden" name="_csrf" value=(session.csrf_token);
                        input type="hidden" name="version" value=(lesson.version);
                        button type="submit" data-test=(format!("step-{step}")) { (label) }
                    }
                }
            }
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct StepForm {
    /// The version the page showed: a lesson changed since is refused, not overwritten.
    version: Option<i64>,
}

async fn step(
    State(state): State<AppState>,
    origin: Origin,
    Path((id, step)): Path<(Uuid, String)>,
    Posted { session, form }: Posted<StepForm>,
) -> Result<Response, WebError> {
    let (permission, command) = match step.as_str() {
        "submit" => (Permission::CreateContent, LessonCommand::SubmitForReview),
        "approve" => (
            Permission::ReviewContent,
            LessonCommand::Approve {
                reviewer: UserId::new(session.caller.user_id),
            },
        ),
        "publish" => (Permission::ReviewContent, LessonCommand::Publish),
        "archive" => (
            Permission::ReviewContent,
            LessonCommand::Archive { reason: None },
        ),
        _ => return Err(ApiError::NotFound(format!("no step `{step}` of a lesson")).into()),
    };
    session.caller.require(permission)?;
    let request = command_request(&session, origin, form.version);
    let back = |query: String| Redirect::to(&format!("/lessons/{id}?{query}")).into_response();
    match request.run(&state.lessons, &state.pool, id, &command).await {
        Ok(outcome) => Ok(back(format!("after={}", outcome.last_position))),
        Err(error @ ApiError::Command(_)) => {
            let (problem, _) = error.problem();
            let detail = if problem.status == 412 {
                "Someone changed this lesson after you opened it, so nothing was done: \
                 here it is as it is now. Look it over and try again."
                    .to_owned()
            } else {
                problem.detail
            };
            Ok(back(
                serde_urlencoded::to_string([("refused", detail)]).unwrap_or_default(),
            ))
        }
        Err(error) => Err(error.into()),
    }
}
