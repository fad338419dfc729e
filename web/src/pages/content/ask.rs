//! Asking for content: the teacher's requests so far, and the form that makes one, with
//! the domain's refusals shown on their fields and what was typed kept.

use api::content_requests::{ListContentRequests, RequestContent};
use api::lessons::ListLessons;
use api::request_id::Origin;
use api::{ApiError, AppState};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::{ContentPart, LessonStatus, Permission};
use maud::{Markup, html};
use projections::content_requests;
use projections::lessons::{self, LessonRow};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::command::command_request;
use crate::error::WebError;
use crate::layout;
use crate::session::{Posted, Session};

/// The requests this user made (or, for those who read every request, everyone's).
pub async fn list(State(state): State<AppState>, session: Session) -> Result<Markup, WebError> {
    session.caller.require(Permission::RequestContent)?;
    let query = ListContentRequests {
        status: None,
        lesson_id: None,
        requested_by: None,
        cursor: None,
        limit: Some(100),
    };
    let filter = api::content_requests::filter_for(&session.authenticated(), query)?;
    let page = content_requests::list(&state.pool, &filter).await?;
    Ok(layout::page(
        &session,
        "Content creator",
        html! {
            h1 { "Content creator" }
            p.muted { "Ask the agents for a lesson's text, quiz, 3D terrain and Roblox script, then watch them work." }
            div.actions { a.button href="/content/new" data-test="ask" { "Ask for content" } }
            @if page.requests.is_empty() {
                p.muted data-test="no-requests" { "No requests yet." }
            } @else {
                div.table-wrap {
                    table data-test="requests" {
                        thead { tr { th { "Lesson" } th { "Parts" } th { "Status" } th.wide-only { "Asked" } } }
                        tbody {
                            @for request in page.requests.iter().rev() {
                                tr {
                                    td { a href=(format!("/content/{}", request.request_id)) { (request.title) } }
                                    td { (request.parts.join(", ")) }
                                    td { span.status { (request.status.as_str()) } }
                                    td.muted.wide-only { (request.requested_at.format("%Y-%m-%d %H:%M")) }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// What the request form sent. Parts are one checkbox each (a form repeats no field).
#[derive(Debug, Deserialize, Default)]
pub struct AskForm {
    #[serde(default)]
    lesson_id: String,
    /// One objective per line.
    #[serde(default)]
    objectives: String,
    #[serde(default)]
    duration_minutes: String,
    #[serde(default)]
    theme: String,
    lesson_content: Option<String>,
    quiz: Option<String>,
    terrain: Option<String>,
    script: Option<String>,
}

impl AskForm {
    fn wants(&self, part: ContentPart) -> bool {
        match part {
            ContentPart::LessonContent => self.lesson_content.is_some(),
            ContentPart::Quiz => self.quiz.is_some(),
            ContentPart::Terrain => self.terrain.is_some(),
            ContentPart::Script => self.script.is_some(),
        }
    }

    fn fresh(lesson: Option<Uuid>) -> Self {
        let on = Some("on".to_owned());
        Self {
            lesson_id: lesson.map(|id| id.to_string()).unwrap_or_default(),
            duration_minutes: "45".into(),
            lesson_content: on.clone(),
            quiz: on.clone(),
            terrain: on.clone(),
            script: on,
            ..Self::default()
        }
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct NewQuery {
    lesson: Option<Uuid>,
}

/// The lessons content may be asked for: this user's drafts and lessons in review.
async fn editable_lessons(state: &AppState, session: &Session) -> Result<Vec<LessonRow>, WebError> {
    let query = ListLessons {
        subject: None,
        grade: None,
        status: None,
        q: None,
        mine: Some(true),
        cursor: None,
        limit: Some(200),
    };
    let filter = api::lessons::filter_for(&session.authenticated(), query)?;
    let page = lessons::list(&state.pool, &filter).await?;
    Ok(page
        .lessons
        .into_iter()
        .filter(|lesson| matches!(lesson.status, LessonStatus::Draft | LessonStatus::InReview))
        .collect())
}

pub async fn new(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<NewQuery>,
) -> Result<Markup, WebError> {
    session.caller.require(Permission::RequestContent)?;
    let lessons = editable_lessons(&state, &session).await?;
    Ok(form_page(
        &session,
        &lessons,
        &AskForm::fresh(query.lesson),
        None,
    ))
}

fn part_label(part: ContentPart) -> &'static str {
    match part {
        ContentPart::LessonContent => "Lesson text",
        ContentPart::Quiz => "Quiz",
        ContentPart::Terrain => "3D terrain",
        ContentPart::Script => "Roblox script (Luau)",
    }
}

/// The form, with what was typed and the refusal (which field, why) when there was one.
fn form_page(
    session: &Session,
    lessons: &[LessonRow],
    form: &AskForm,
    refusal: Option<(Option<String>, String)>,
) -> Markup {
    let error_of = |name: &str| {
        refusal
            .as_ref()
            .filter(|(field, _)| {
                field
                    .as_deref()
                    .is_some_and(|f| f == name || f.starts_with(&format!("{name}[")))
            })
            .map(|(_, detail)| detail.clone())
    };
    let shown = |name: &str| {
        html! {
            @if let Some(error) = error_of(name) {
                span.field-error data-test=(format!("error-{name}")) { (error) }
            }
        }
    };
    let general = refusal.as_ref().filter(|(field, _)| {
        !matches!(field.as_deref(), Some(f) if ["lesson_id", "objectives", "duration_minutes", "parts", "theme"].iter().any(|n| f == *n || f.starts_with(&format!("{n}["))))
    });
    layout::page(
        session,
        "Ask for content",
        html! {
            h1 { "Ask for content" }
            @if let Some((_, detail)) = general {
                p.error role="alert" data-test="error" { (detail) }
            }
            @if lessons.is_empty() {
                p.notice { "Content is made for one of your lessons in draft or in review. "
                    a href="/lessons/new" { "Draft a lesson" } " first." }
            }
            form.stack method="post" action="/content" {
                input type="hidden" name="_csrf" value=(session.csrf_token);
                label {
                    "Lesson"
                    select name="lesson_id" aria-invalid=[error_of("lesson_id").map(|_| "true")] {
                        @for lesson in lessons {
                            @let id = lesson.lesson_id.to_string();
                            option value=(id) selected[form.lesson_id == id] {
                                (lesson.title) " (" (lesson.subject) ", grade " (lesson.grade_level) ")"
                            }
                        }
                    }
                    (shown("lesson_id"))
                }
                label {
                    "Learning objectives, one per line"
                    textarea name="objectives" aria-invalid=[error_of("objectives").map(|_| "true")]
                        placeholder="Explain how light drives photosynthesis" { (form.objectives) }
                    (shown("objectives"))
                }
                label {
                    "Length in class (minutes)"
                    input name="duration_minutes" type="number" min="5" max="180" value=(form.duration_minutes)
                        aria-invalid=[error_of("duration_minutes").map(|_| "true")];
                    (shown("duration_minutes"))
                }
                fieldset {
                    legend { "Parts" }
                    @for part in ContentPart::ALL {
                        label.check {
                            input type="checkbox" name=(part.as_str()) checked[form.wants(part)];
                            (part_label(part))
                        }
                    }
                    (shown("parts"))
                }
                label {
                    "Theme (optional)"
                    input name="theme" value=(form.theme) placeholder="a rainforest research station"
                        aria-invalid=[error_of("theme").map(|_| "true")];
                    (shown("theme"))
                }
                button type="submit" data-test="request" { "Ask the agents" }
            }
        },
    )
}

/// The form as the API's body: the same parsing, the same rules, the same messages.
fn as_request(form: &AskForm) -> Result<(Uuid, RequestContent), (Option<String>, String)> {
    let lesson = form.lesson_id.trim().parse::<Uuid>().map_err(|_| {
        (
            Some("lesson_id".to_owned()),
            "choose one of your lessons".to_owned(),
        )
    })?;
    let objectives: Vec<&str> = form
        .objectives
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let minutes = form.duration_minutes.trim();
    let minutes: Value = minutes
        .parse::<u64>()
        .map(Value::from)
        .unwrap_or_else(|_| Value::from(minutes));
    let parts: Vec<&str> = ContentPart::ALL
        .into_iter()
        .filter(|part| form.wants(*part))
        .map(ContentPart::as_str)
        .collect();
    let theme = Some(form.theme.trim()).filter(|theme| !theme.is_empty());
    let body = json!({
        "objectives": objectives,
        "duration_minutes": minutes,
        "parts": parts,
        "theme": theme,
    });
    let body = serde_path_to_error::deserialize(body).map_err(|error| {
        let field = error.path().to_string();
        let detail = error.into_inner().to_string();
        (Some(field).filter(|f| f != "."), detail)
    })?;
    Ok((lesson, body))
}

pub async fn create(
    State(state): State<AppState>,
    origin: Origin,
    Posted { session, form }: Posted<AskForm>,
) -> Result<Response, WebError> {
    session.caller.require(Permission::RequestContent)?;
    let refused = |state: AppState, session: Session, form: AskForm, refusal| async move {
        let lessons = editable_lessons(&state, &session).await?;
        let page = form_page(&session, &lessons, &form, Some(refusal));
        Ok::<_, WebError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let (lesson, body) = match as_request(&form) {
        Ok(parsed) => parsed,
        Err(refusal) => return refused(state, session, form, refusal).await,
    };
    let request = command_request(&session, origin, None);
    let lesson_id = domain::LessonId::new(lesson);
    match api::content_requests::request_content(&state, &request, lesson_id, body).await {
        Ok((requested, _)) => Ok(Redirect::to(&format!("/content/{requested}")).into_response()),
        Err(
            error @ (ApiError::Command(_) | ApiError::InvalidField { .. } | ApiError::Forbidden(_)),
        ) => {
            let (problem, _) = error.problem();
            let field = problem
                .field
                .clone()
                .or_else(|| Some("lesson_id".to_owned()).filter(|_| problem.status == 403));
            refused(state, session, form, (field, problem.detail)).await
        }
        Err(error) => Err(error.into()),
    }
}
