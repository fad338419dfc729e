//! The frame of every page: the head (vendored htmx, the app's CSS), the header with who
//! is signed in and their role, navigation by role, and sign-out.

use auth::Caller;
use domain::Permission;
use maud::{DOCTYPE, Markup, html};

use crate::session::Session;

/// A screen in the navigation: where it is, its name, and who sees it.
struct Screen {
    path: &'static str,
    label: &'static str,
    shown_to: fn(&Caller) -> bool,
}

/// Every screen built so far, in the order of the navigation: classes and the students',
/// admins' and analysts' screens join as they are built, so a link never leads to a 404.
/// A link is shown to those who may open the page (each page checks the same permission
/// again).
const SCREENS: &[Screen] = &[
    Screen {
        path: "/lessons",
        label: "Lessons",
        shown_to: |c| {
            c.can(Permission::CreateContent)
                || c.can(Permission::ReviewContent)
                || c.can(Permission::ReadLinkedChildren)
        },
    },
    Screen {
        path: "/content",
        label: "Content creator",
        shown_to: |c| c.can(Permission::RequestContent),
    },
    Screen {
        path: "/audit/log",
        label: "Log",
        shown_to: |c| c.can(Permission::ReadLog),
    },
    Screen {
        path: "/audit/streams",
        label: "Streams",
        shown_to: |c| c.can(Permission::ReadStreams),
    },
    Screen {
        path: "/audit/verify",
        label: "Verify",
        shown_to: |c| c.can(Permission::ReadLog),
    },
];

/// The links of this caller's navigation: (path, label).
pub fn navigation(caller: &Caller) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    SCREENS
        .iter()
        .filter(|screen| (screen.shown_to)(caller))
        .map(|screen| (screen.path, screen.label))
}

/// Where `/` takes this caller: the first screen of their navigation.
pub fn home(caller: &Caller) -> &'static str {
    navigation(caller)
        .next()
        .map_or("/lessons", |(path, _)| path)
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
            script src="/assets/live.js" defer {}
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
                        @for (path, label) in navigation(&session.caller) {
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
