//! A teacher's lessons in the browser: the domain's refusals on the form, a lesson drafted,
//! listed and submitted, a stale page's step explained.

use anyhow::ensure;
use domain::Role;
use fantoccini::Locator;

use crate::support::{WebApp, in_browser, sign_in, text_of};

#[tokio::test]
async fn a_teacher_drafts_a_lesson_sees_it_listed_and_submits_it() {
    let app = WebApp::spawn().await;
    app.register(Role::Teacher, "grace", "Grace Hopper").await;
    in_browser("teacher_lessons", |browser| async {
        let outcome = async {
            let page = browser.client();
            sign_in(page, &app, "grace").await?;
            page.goto(&app.url("/lessons")).await?;
            ensure!(
                text_of(page, "[data-test=no-lessons]")
                    .await?
                    .contains("No lessons")
            );
            page.find(Locator::Css("[data-test=new-lesson]"))
                .await?
                .click()
                .await?;

            // A grade out of range: the domain's own message, on the field, what was typed kept.
            page.find(Locator::Css("input[name=title]"))
                .await?
                .send_keys("Photosynthesis")
                .await?;
            page.find(Locator::Css("input[name=subject]"))
                .await?
                .send_keys("Biology")
                .await?;
            page.find(Locator::Css("input[name=grade_level]"))
                .await?
                .send_keys("13")
                .await?;
            page.find(Locator::Css("main form button[type=submit]"))
                .await?
                .click()
                .await?;
            let error = text_of(page, "[data-test=error-grade_level]").await?;
            ensure!(error.contains("12"), "{error}");
            let kept = page
                .find(Locator::Css("input[name=title]"))
                .await?
                .prop("value")
                .await?;
            ensure!(kept.as_deref() == Some("Photosynthesis"), "{kept:?}");
            browser.screenshot("teacher_lesson_refused").await?;

            let grade = page.find(Locator::Css("input[name=grade_level]")).await?;
            grade.clear().await?;
            grade.send_keys("5").await?;
            page.find(Locator::Css("main form button[type=submit]"))
                .await?
                .click()
                .await?;
            ensure!(text_of(page, "[data-test=lesson-title]").await? == "Photosynthesis");
            ensure!(text_of(page, "[data-test=lesson-status]").await? == "draft");

            page.goto(&app.url("/lessons")).await?;
            let listed = text_of(page, "[data-test=lessons] tbody").await?;
            ensure!(
                listed.contains("Photosynthesis") && listed.contains("draft"),
                "{listed}"
            );
            browser.screenshot("teacher_lessons").await?;

            page.find(Locator::LinkText("Photosynthesis"))
                .await?
                .click()
                .await?;
            page.find(Locator::Css("[data-test=step-submit]"))
                .await?
                .click()
                .await?;
            page.wait()
                .for_element(Locator::XPath(
                    "//*[@data-test='lesson-status' and text()='in_review']",
                ))
                .await?;
            browser.screenshot("teacher_lesson").await?;

            // A phone's width: nothing runs off the side.
            page.set_window_size(375, 740).await?;
            page.goto(&app.url("/lessons")).await?;
            let overflow: serde_json::Value = page
                .execute(
                    "const root = document.documentElement; \
                     return [window.innerWidth, root.scrollWidth - root.clientWidth];",
                    vec![],
                )
                .await?;
            ensure!(
                overflow[0].as_i64() == Some(375),
                "the window is {overflow}"
            );
            ensure!(
                overflow[1].as_i64() == Some(0),
                "[width, overflow]: {overflow}"
            );
            browser.screenshot("teacher_lessons_375px").await?;
            Ok(())
        }
        .await;
        (browser, outcome)
    })
    .await;
}

#[tokio::test]
async fn a_step_from_a_page_that_is_out_of_date_is_refused_and_explained() {
    let app = WebApp::spawn().await;
    app.register(Role::Teacher, "grace", "Grace Hopper").await;
    in_browser("stale_step", |browser| async {
        let outcome = async {
            let page = browser.client();
            sign_in(page, &app, "grace").await?;
            page.goto(&app.url("/lessons/new")).await?;
            page.find(Locator::Css("input[name=title]"))
                .await?
                .send_keys("Tides")
                .await?;
            page.find(Locator::Css("input[name=subject]"))
                .await?
                .send_keys("Science")
                .await?;
            page.find(Locator::Css("input[name=grade_level]"))
                .await?
                .send_keys("4")
                .await?;
            page.find(Locator::Css("main form button[type=submit]"))
                .await?
                .click()
                .await?;
            text_of(page, "[data-test=lesson-title]").await?;
            // Another tab moved the lesson on since this page was shown.
            page.execute(
                "document.querySelector('form input[name=version]').value = '7';",
                vec![],
            )
            .await?;
            page.find(Locator::Css("[data-test=step-submit]"))
                .await?
                .click()
                .await?;
            let error = text_of(page, "[data-test=error]").await?;
            ensure!(
                error.contains("changed this lesson after you opened it"),
                "{error}"
            );
            ensure!(text_of(page, "[data-test=lesson-status]").await? == "draft");
            Ok(())
        }
        .await;
        (browser, outcome)
    })
    .await;
}
