//! The content creator in a browser: a teacher drafts a lesson, asks for its content, and
//! watches the agents' steps arrive without reloading the page, then reads the result:
//! the lesson text, the quiz, the terrain's map and the script with line numbers.

use std::sync::Arc;

use agents::provider::offline::Offline;
use agents::supervisor::{Handled, Supervisor};
use anyhow::{Context, ensure};
use commands::CommandRunner;
use domain::Role;
use eventstore::{Direction, EventStore};
use fantoccini::{Client, Locator};
use uuid::Uuid;

use crate::support::{WebApp, in_browser, sign_in, text_of};

async fn type_into(page: &Client, css: &str, text: &str) -> anyhow::Result<()> {
    let field = page.find(Locator::Css(css)).await?;
    field.clear().await?;
    field.send_keys(text).await?;
    Ok(())
}

/// Run the agents (the offline provider) over content request `id`, as a worker would.
async fn run_agents(app: &WebApp, id: Uuid) -> anyhow::Result<Handled> {
    let store = EventStore::start(app.db.pool.clone()).await?;
    let supervisor = Supervisor::new(
        Arc::new(CommandRunner::new(store.clone())),
        Arc::new(CommandRunner::new(store)),
        Arc::new(Offline::new()),
    );
    let events = eventstore::read::stream(
        &app.db.pool,
        &format!("content-{id}"),
        1,
        Direction::Forward,
        1,
    )
    .await?;
    let requested = events.first().context("the request's first event")?;
    Ok(supervisor.handle(requested).await?)
}

#[tokio::test]
async fn a_teacher_asks_for_content_and_watches_the_agents_live_then_sees_the_terrain() {
    let app = WebApp::spawn().await;
    app.register(Role::Teacher, "grace", "Grace Hopper").await;
    in_browser("content_creator", |browser| async {
        let outcome = async {
            let page = browser.client();
            sign_in(page, &app, "grace").await?;
            page.goto(&app.url("/lessons/new")).await?;
            type_into(page, "input[name=title]", "Photosynthesis").await?;
            type_into(page, "input[name=subject]", "Biology").await?;
            type_into(page, "input[name=grade_level]", "5").await?;
            page.find(Locator::Css("main form button[type=submit]"))
                .await?
                .click()
                .await?;
            page.find(Locator::Css("[data-test=ask-content]"))
                .await?
                .click()
                .await?;

            // A refusal of the domain's, on its field, what was typed kept.
            type_into(page, "textarea[name=objectives]", "ok").await?;
            page.find(Locator::Css("[data-test=request]"))
                .await?
                .click()
                .await?;
            let error = text_of(page, "[data-test=error-objectives]").await?;
            ensure!(error.contains('3'), "{error}");
            type_into(
                page,
                "textarea[name=objectives]",
                "Explain how light drives photosynthesis\nName the parts of a leaf",
            )
            .await?;
            type_into(page, "input[name=theme]", "a rainforest research station").await?;
            browser.screenshot("content_ask").await?;
            page.find(Locator::Css("[data-test=request]"))
                .await?
                .click()
                .await?;

            // The request's page: only the supervisor so far, its live feed open.
            ensure!(text_of(page, "[data-test=request-status]").await? == "requested");
            page.wait()
                .for_element(Locator::Css("#progress[data-live-state=open]"))
                .await?;
            let steps = page.find_all(Locator::Css("[data-test=step]")).await?;
            ensure!(
                steps.len() == 1,
                "{} steps before the agents ran",
                steps.len()
            );
            page.execute("window.lecternNotReloaded = true;", vec![])
                .await?;

            let url = page.current_url().await?;
            let id: Uuid = url.path().trim_start_matches("/content/").parse()?;
            ensure!(run_agents(&app, id).await? == Handled::Generated);

            // The steps and the result arrive on the open page, without a reload.
            page.wait()
                .for_element(Locator::Css("[data-test=terrain-map]"))
                .await?;
            let kept = page
                .execute("return window.lecternNotReloaded === true;", vec![])
                .await?;
            ensure!(kept == serde_json::json!(true), "the page was reloaded");
            ensure!(text_of(page, "[data-test=request-status]").await? == "generated");
            let agents: Vec<String> = {
                let mut names = Vec::new();
                for step in page.find_all(Locator::Css("[data-test=step]")).await? {
                    names.push(step.attr("data-agent").await?.unwrap_or_default());
                }
                names
            };
            for agent in [
                "supervisor",
                "content",
                "quiz",
                "terrain",
                "script",
                "review",
            ] {
                ensure!(
                    agents.iter().any(|a| a == agent),
                    "no {agent} step in {agents:?}"
                );
            }
            ensure!(text_of(page, "[data-test=review-verdict]").await? == "passed");
            // Two objectives, two sections: a zone each, with their stations and the spawn.
            let zones = page
                .find_all(Locator::Css("[data-test=terrain-map] [data-test=zone]"))
                .await?;
            ensure!(zones.len() == 2, "{} zones", zones.len());
            let stations = page
                .find_all(Locator::Css("[data-test=terrain-map] [data-test=station]"))
                .await?;
            ensure!(stations.len() >= 4, "{} stations", stations.len());
            page.find(Locator::Css("[data-test=terrain-map] [data-test=spawn]"))
                .await?;
            let lines = page
                .find_all(Locator::Css("[data-test=script] .line"))
                .await?;
            ensure!(lines.len() > 10, "{} script lines", lines.len());
            ensure!(
                !text_of(page, "[data-test=lesson-plan] h3")
                    .await?
                    .is_empty()
            );
            page.find(Locator::Css("[data-test=quiz] .correct")).await?;
            browser.screenshot("content_result").await?;
            page.execute(
                "document.querySelector('[data-test=terrain]').scrollIntoView();",
                vec![],
            )
            .await?;
            browser.screenshot("content_terrain").await?;

            // The list shows the request, generated.
            page.goto(&app.url("/content")).await?;
            ensure!(
                text_of(page, "[data-test=requests]")
                    .await?
                    .contains("generated")
            );
            Ok(())
        }
        .await;
        (browser, outcome)
    })
    .await;
}
