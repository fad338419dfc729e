//! The frame of every page: the head (vendored htmx, the app's CSS), the header with who
//! is signed in and their role, navigation by role, and sign-out.

use domain::Role;
use maud::{DOCTYPE, Markup, html};

use crate::session::Session;

/// The links of a role's navigation: (path, label). Only the lessons exist yet, and every
/// role may list them; the other roles' screens add their links here.
fn navigation(_role: Role) -> &'static [(&'static str, &'static str)] {
    &[("/lessons", "Lessons")]
}

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="color-scheme" content="light dark";
            title { (title) " · Lectern" }
            link rel="stylesheet" href="/assets/app.css";
            script src="/assets/htmx.min.js" defer {}
        }
    }
}

/// A page of a signed-in user.
pub fn page(session: &Session, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body hx-headers=(format!(r#"{{"X-CSRF-Token": "{}"}}"#, session.csrf_token)) {
                header.top {
                    a.brand href="/" { "Lectern" }
                    nav aria-label="Main" {
                        @for (path, label) in navigation(session.role()) {
                            a href=(path) { (label) }
                        }
                    }
                    div.who {
                        span data-test="who" { (session.display_name) }
                        " "
                        span.role data-test="role" { (session.role().as_str()) }
                        form method="post" action="/sign-out" {
                            input type="hidden" name="_csrf" value=(session.csrf_token);
                            button.link type="submit" { "Sign out" }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// A page without a session (sign-in, errors).
pub fn bare(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                header.top { a.brand href="/" { "Lectern" } }
                (body)
            }
        }
    }
}
