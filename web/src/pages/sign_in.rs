//! Sign-in and sign-out. Signing in goes through the API's own check
//! (`api::sign_in::check_credentials`: the same argon2id work, the same `SignedIn` /
//! `SignInFailed` records for auditors, the same one message for every refusal) and opens a
//! session; signing out deletes it.
//!
//! The form is guarded against login CSRF by a double-submit token: `GET /sign-in` sets a
//! short-lived cookie whose value the form echoes.

use api::AppState;
use api::request_id::Origin;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Router, routing::get, routing::post};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use crate::error::WebError;
use crate::layout;
use crate::session::{COOKIE, Posted, Session, store};

/// How long a session lasts.
const SESSION_HOURS: i64 = 12;
/// The double-submit cookie of the sign-in form.
const FORM_COOKIE: &str = "lectern_sign_in";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sign-in", get(form).post(sign_in))
        .route("/sign-out", post(sign_out))
}

#[derive(Deserialize, Default)]
pub struct Next {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct Credentials {
    username: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
    #[serde(rename = "_form", default)]
    form_token: String,
}

/// Only a path of this site: never an absolute URL someone slipped in.
fn safe_next(next: Option<&str>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\"))
        .unwrap_or("/")
        .to_owned()
}

/// `Secure` when the request reached us over TLS (a proxy in front says so).
fn over_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .is_some_and(|proto| proto.as_bytes().eq_ignore_ascii_case(b"https"))
}

fn cookie(name: &'static str, value: String, headers: &HeaderMap) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(over_tls(headers))
        .build()
}

async fn form(
    Query(query): Query<Next>,
    headers: HeaderMap,
    jar: CookieJar,
) -> (CookieJar, Markup) {
    let token = store::random_token();
    let jar = jar.add(cookie(FORM_COOKIE, token.clone(), &headers));
    let next = safe_next(query.next.as_deref());
    (jar, page(&token, &next, None))
}

fn page(form_token: &str, next: &str, error: Option<&str>) -> Markup {
    layout::bare(
        "Sign in",
        html! {
            main.narrow {
                h1 { "Sign in" }
                @if let Some(error) = error {
                    p.error role="alert" data-test="error" { (error) }
                }
                form.stack method="post" action="/sign-in" {
                    input type="hidden" name="_form" value=(form_token);
                    input type="hidden" name="next" value=(next);
                    label { "Username" input name="username" autocomplete="username" required autofocus; }
                    label { "Password" input name="password" type="password" autocomplete="current-password" required; }
                    button type="submit" { "Sign in" }
                }
            }
        },
    )
}

async fn sign_in(
    State(state): State<AppState>,
    origin: Origin,
    headers: HeaderMap,
    jar: CookieJar,
    Form(credentials): Form<Credentials>,
) -> Result<Response, WebError> {
    let next = safe_next(credentials.next.as_deref());
    let expected = jar.get(FORM_COOKIE).map(|c| c.value().to_owned());
    if expected.as_deref() != Some(credentials.form_token.as_str())
        || credentials.form_token.is_empty()
    {
        return Err(WebError::Csrf);
    }
    let outcome = api::sign_in::check_credentials(
        &state,
        &origin,
        &credentials.username,
        credentials.password,
    )
    .await;
    let (user, _) = match outcome {
        Ok(account) => account,
        Err(api::ApiError::Unauthorized { .. }) => {
            let again = store::random_token();
            let jar = jar.add(cookie(FORM_COOKIE, again.clone(), &headers));
            let body = page(&again, &next, Some("Wrong username or password."));
            return Ok((StatusCode::UNAUTHORIZED, jar, body).into_response());
        }
        Err(error) => return Err(error.into()),
    };
    let expires = Utc::now() + chrono::Duration::hours(SESSION_HOURS);
    let (token, _) = store::open(&state.pool, user.as_uuid(), expires).await?;
    let jar = jar
        .remove(Cookie::build(FORM_COOKIE).path("/"))
        .add(cookie(COOKIE, token, &headers));
    Ok((jar, Redirect::to(&next)).into_response())
}

#[derive(Deserialize)]
pub struct Nothing {}

async fn sign_out(
    State(state): State<AppState>,
    jar: CookieJar,
    Posted { .. }: Posted<Nothing>,
) -> Result<Response, WebError> {
    if let Some(token) = jar.get(COOKIE) {
        store::close(&state.pool, token.value()).await?;
    }
    let jar = jar.remove(Cookie::build(COOKIE).path("/"));
    Ok((StatusCode::SEE_OTHER, jar, [(header::LOCATION, "/sign-in")]).into_response())
}

/// `/`: the first screen of the role's navigation, once signed in.
pub async fn start(session: Session) -> Redirect {
    Redirect::to(crate::layout::home(&session.caller))
}
