//! Verify: the chain verification of `POST /v1/audit/verify` (`eventstore::audit::verify`,
//! its report as `api::audit::VerifyResult`) run in the background, one at a time per
//! auditor, with a progress bar that htmx polls (a refresh without JavaScript) and the
//! result: the events checked, or the first broken position, highlighted and linked to its
//! event. `read:log`, as the route. It only reads the log; it must not repair anything.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

use api::AppState;
use api::audit::VerifyResult;
use axum::extract::State;
use axum::response::Redirect;
use chrono::{DateTime, Utc};
use domain::Permission;
use eventstore::{audit, read};
use maud::{Markup, html};
use uuid::Uuid;

use super::when;
use crate::error::WebError;
use crate::layout;
use crate::session::{Posted, Session};

/// A verification under way or done.
struct Job {
    started_at: DateTime<Utc>,
    /// The log's head when it started: where the bar ends.
    head: i64,
    /// The last position verified so far.
    verified: AtomicI64,
    /// The report once done, or why it could not finish.
    outcome: Mutex<Option<Result<VerifyResult, String>>>,
}

impl Job {
    fn outcome(&self) -> Option<Result<VerifyResult, String>> {
        self.outcome.lock().ok().and_then(|outcome| outcome.clone())
    }
}

/// Each auditor's last verification (at most one running each; the last one kept to show).
static JOBS: LazyLock<Mutex<HashMap<Uuid, Arc<Job>>>> = LazyLock::new(Mutex::default);

fn job_of(user: Uuid) -> Option<Arc<Job>> {
    JOBS.lock().ok().and_then(|jobs| jobs.get(&user).cloned())
}

pub async fn page(session: Session) -> Result<Markup, WebError> {
    session.caller.require(Permission::ReadLog)?;
    let job = job_of(session.caller.user_id);
    let running = job.as_ref().is_some_and(|job| job.outcome().is_none());
    Ok(layout::page(
        &session,
        "Verify",
        html! {
            h1 { "Verify the log" }
            p { "Recomputes every event's link in the log's hash chain from what the database holds, "
                "and reports the first position where it breaks: an event altered, missing, reordered or inserted." }
            form method="post" action="/audit/verify" {
                input type="hidden" name="_csrf" value=(session.csrf_token);
                button type="submit" data-test="verify-start" disabled[running] {
                    @if job.is_some() { "Verify again" } @else { "Verify the chain" }
                }
            }
            @if let Some(job) = &job { (status(job)) }
        },
    ))
}

/// Start a verification, unless this auditor's last one still runs.
pub async fn start(
    State(state): State<AppState>,
    Posted { session, .. }: Posted<Vec<(String, String)>>,
) -> Result<Redirect, WebError> {
    session.caller.require(Permission::ReadLog)?;
    let user = session.caller.user_id;
    let job = Arc::new(Job {
        started_at: Utc::now(),
        head: read::head(&state.pool).await?,
        verified: AtomicI64::new(0),
        outcome: Mutex::new(None),
    });
    {
        let Ok(mut jobs) = JOBS.lock() else {
            return Ok(Redirect::to("/audit/verify"));
        };
        if jobs.get(&user).is_some_and(|job| job.outcome().is_none()) {
            // One at a time: the running one's progress is what the page shows.
            return Ok(Redirect::to("/audit/verify"));
        }
        jobs.insert(user, job.clone());
    }
    let pool = state.pool.clone();
    tokio::spawn(async move {
        let report = audit::verify(&pool, None, |last| {
            job.verified.store(last, Ordering::Relaxed);
        })
        .await;
        let outcome = match report {
            Ok(report) => {
                if let Some(broken) = &report.broken {
                    tracing::warn!(position = broken.position, kind = %broken.kind, detail = %broken.detail,
                                   "the log's hash chain is broken");
                }
                Ok(VerifyResult::from(report))
            }
            Err(error) => {
                tracing::error!(error = %error, "a verification from the web app failed");
                Err("The verification could not finish: the database failed. Try again.".to_owned())
            }
        };
        if let Ok(mut slot) = job.outcome.lock() {
            *slot = Some(outcome);
        }
    });
    Ok(Redirect::to("/audit/verify"))
}

/// `/audit/verify/progress`: the status fragment htmx polls.
pub async fn progress(session: Session) -> Result<Markup, WebError> {
    session.caller.require(Permission::ReadLog)?;
    Ok(match job_of(session.caller.user_id) {
        Some(job) => status(&job),
        None => html! { p.muted { "No verification has run yet." } },
    })
}

/// How far the job has got, or what it found.
fn status(job: &Job) -> Markup {
    match job.outcome() {
        None => {
            let verified = job.verified.load(Ordering::Relaxed).min(job.head);
            html! {
                section #verify-status data-test="verify-running" hx-get="/audit/verify/progress"
                    hx-trigger="every 300ms" hx-swap="outerHTML" {
                    noscript { meta http-equiv="refresh" content="2"; }
                    label { "Verified up to position " (verified) " of " (job.head)
                        progress max=(job.head.max(1)) value=(verified) data-test="verify-progress" { (verified) }
                    }
                    p.muted { "Started " (when(job.started_at)) "." }
                }
            }
        }
        Some(Err(problem)) => html! {
            section #verify-status { p.error role="alert" data-test="verify-failed" { (problem) } }
        },
        Some(Ok(result)) => result_view(job, &result),
    }
}

fn result_view(job: &Job, result: &VerifyResult) -> Markup {
    let bar = |value: i64| {
        html! { progress max=(result.head_position.max(1)) value=(value) data-test="verify-progress" { (value) } }
    };
    html! {
        section #verify-status data-test="verify-done" {
            @match &result.broken {
                None => {
                    (bar(result.head_position))
                    p.notice role="status" data-test="verify-passed" {
                        "The chain holds: " strong data-test="verify-checked" { (result.checked) } " events checked"
                        @if let (Some(first), Some(last)) = (result.first_position, result.last_position) {
                            ", positions " (first) "–" (last)
                        }
                        "."
                    }
                }
                Some(broken) => {
                    (bar(result.last_position.unwrap_or(0)))
                    div.error.broken role="alert" data-test="verify-broken" {
                        p { "The chain breaks at "
                            a href=(format!("/audit/events/{}", broken.position)) data-test="broken-link" {
                                mark { "position " (broken.position) }
                            }
                            ": " strong data-test="broken-kind" { (broken.kind) } "." }
                        p data-test="broken-detail" { (broken.detail) }
                        p { (result.checked) " events read before the break"
                            @if let Some(last) = result.last_position { ", in order up to position " (last) } "." }
                    }
                }
            }
            dl.facts {
                dt { "Head" } dd { "position " (result.head_position) }
                dt { "Head hash" } dd.id { (result.head_hash.as_deref().unwrap_or("none")) }
                @if result.unchained_prefix > 0 {
                    dt { "Before the chain" } dd { (result.unchained_prefix) " events written before the chain began (not verifiable)" }
                }
                @if let Some(anchor) = &result.anchor {
                    dt { "From anchor" } dd { "position " (anchor.position) }
                }
                dt { "Anchors matched" } dd { (result.anchors_checked) }
                dt { "Started" } dd { (when(job.started_at)) }
                dt { "Took" } dd { (format!("{:.3}", result.seconds)) " s" }
            }
        }
    }
}
