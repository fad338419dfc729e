//! Sessions as a browser meets them: sign-in, sign-out, no page without a session, no POST
//! without the CSRF token.

use anyhow::ensure;
use domain::Role;
use fantoccini::Locator;

use crate::support::{PASSWORD, WebApp, in_browser, send_sign_in, sign_in, text_of};

#[tokio::test]
async fn a_signed_out_browser_is_sent_to_sign_in_from_every_page_and_comes_back_after() {
    let app = WebApp::spawn().await;
    app.register(Role::Teacher, "grace", "Grace Hopper").await;
    in_browser("signed_out", |browser| async {
        let outcome = async {
            let page = browser.client();
            for path in [
                "/",
                "/lessons",
                "/lessons/new",
                "/lessons/0190a0a0-0000-7000-8000-000000000000",
            ] {
                page.goto(&app.url(path)).await?;
                let url = page.current_url().await?;
                ensure!(url.path() == "/sign-in", "{path} led to {url}");
                ensure!(
                    url.query().unwrap_or_default().contains("next="),
                    "{path}: {url} keeps where to come back to"
                );
            }
            // Wrong password: a readable refusal, the same for every reason.
            browser.screenshot("sign_in").await?;
            send_sign_in(page, "grace", "not the password").await?;
            let error = text_of(page, "[data-test=error]").await?;
            ensure!(error.contains("Wrong username or password"), "{error}");

            // Signing in from the redirect lands on the page asked for.
            page.goto(&app.url("/lessons/new")).await?;
            send_sign_in(page, "grace", PASSWORD).await?;
            ensure!(text_of(page, "[data-test=who]").await? == "Grace Hopper");
            ensure!(text_of(page, "h1").await? == "New lesson");
            ensure!(text_of(page, "[data-test=role]").await? == "teacher");
            let cookies = page.get_all_cookies().await?;
            let session = cookies.iter().find(|c| c.name() == "lectern_session");
            ensure!(
                session.is_some_and(|c| c.http_only() == Some(true)),
                "{cookies:?}"
            );

            // Signing out ends the session: the pages are closed again.
            page.find(Locator::Css("header form button"))
                .await?
                .click()
                .await?;
            page.wait()
                .for_element(Locator::Css("input[name=username]"))
                .await?;
            page.goto(&app.url("/lessons")).await?;
            ensure!(page.current_url().await?.path() == "/sign-in");
            Ok(())
        }
        .await;
        (browser, outcome)
    })
    .await;
}

#[tokio::test]
async fn a_post_without_the_csrf_token_is_refused_and_changes_nothing() {
    let app = WebApp::spawn().await;
    app.register(Role::Teacher, "grace", "Grace Hopper").await;
    in_browser("csrf", |browser| async {
        let outcome = async {
            let page = browser.client();
            sign_in(page, &app, "grace").await?;
            page.goto(&app.url("/lessons/new")).await?;
            // The signed-in browser posts the form with its token removed.
            page.execute(
                "document.querySelector('main input[name=_csrf]').remove();",
                vec![],
            )
            .await?;
            page.find(Locator::Css("input[name=title]"))
                .await?
                .send_keys("Forged")
                .await?;
            page.find(Locator::Css("main form button[type=submit]"))
                .await?
                .click()
                .await?;
            let title = text_of(page, "h1").await?;
            ensure!(title == "This form was refused", "{title}");
            let drafted: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM es.events WHERE event_type = 'LessonDrafted'",
            )
            .fetch_one(&app.db.pool)
            .await?;
            ensure!(drafted == 0, "a refused form drafted {drafted} lessons");
            Ok(())
        }
        .await;
        (browser, outcome)
    })
    .await;
}
