//! [`WebError`]: why a page could not be shown, as a page a person can read. A problem of
//! the API's becomes its title and detail (never a stack trace: 5xx details stay in the
//! log, as in the API); a missing session is a redirect to sign-in.

use api::ApiError;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::html;

use crate::layout;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No session: 303 to the sign-in page, coming back to `next` after.
    #[error("sign in first")]
    SignIn { next: String },
    /// A POST without the session's CSRF token: 403.
    #[error("this form is out of date or did not come from Lectern")]
    Csrf,
    /// A form that is not urlencoded fields: 400.
    #[error("{0}")]
    BadForm(String),
    /// What the API would have answered.
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl From<sqlx::Error> for WebError {
    fn from(error: sqlx::Error) -> Self {
        Self::Api(ApiError::from(error))
    }
}

impl From<auth::Forbidden> for WebError {
    fn from(refusal: auth::Forbidden) -> Self {
        Self::Api(ApiError::from(refusal))
    }
}

impl WebError {
    /// The status, title and detail a person reads.
    pub fn message(&self) -> (StatusCode, String, String) {
        match self {
            Self::SignIn { .. } => (
                StatusCode::UNAUTHORIZED,
                "Sign in first".into(),
                self.to_string(),
            ),
            Self::Csrf => (
                StatusCode::FORBIDDEN,
                "This form was refused".into(),
                "It is out of date or did not come from Lectern: reload the page and try again."
                    .into(),
            ),
            Self::BadForm(detail) => (
                StatusCode::BAD_REQUEST,
                "The form could not be read".into(),
                detail.clone(),
            ),
            Self::Api(error) => {
                let (problem, _) = error.problem();
                if problem.status >= 500 {
                    tracing::error!(error = %error, "a page failed");
                }
                let status = StatusCode::from_u16(problem.status)
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                (status, problem.title, problem.detail)
            }
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if let Self::SignIn { next } = &self {
            let target = format!(
                "/sign-in?{}",
                serde_urlencoded::to_string([("next", next)]).unwrap_or_default()
            );
            return (StatusCode::SEE_OTHER, [(header::LOCATION, target)]).into_response();
        }
        let (status, title, detail) = self.message();
        let body = layout::bare(
            &title,
            html! {
                main.narrow {
                    h1 { (title) }
                    p.error role="alert" { (detail) }
                    p { a href="/" { "Back to the start page" } }
                }
            },
        );
        (status, body).into_response()
    }
}
