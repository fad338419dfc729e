//! The auditor's screens in a browser: the log and an event's detail with its correlation
//! link, a stream's state moved with the version slider, verify passing with the count of
//! events and, on a database tampered with SQL, the broken position highlighted and linked,
//! the NDJSON export fetched with the browser's session and compared with the API's;
//! other roles refused.

use std::time::Duration;

use anyhow::{Context, ensure};
use domain::Role;
use fantoccini::{Client, Locator};
use serde_json::json;
use uuid::Uuid;

use crate::support::{WebApp, in_browser, sign_in, text_of};

const WAIT: Duration = Duration::from_secs(20);

/// An auditor (`ada`) and a teacher (`grace`) whose role an admin changed to student: her
/// stream has two versions that differ. Returns grace's id.
async fn history(app: &WebApp) -> Uuid {
    app.register(Role::Auditor, "ada", "Ada Lovelace").await;
    let grace = app.register(Role::Teacher, "grace", "Grace Hopper").await;
    let response = reqwest::Client::new()
        .post(app.url(&format!("/v1/users/{grace}/role")))
        .bearer_auth(app.admin_token())
        .json(&json!({ "role": "student" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    grace
}

/// Wait until the element at `css` has text satisfying `ok`; its text.
async fn wait_for_text(
    page: &Client,
    css: &str,
    ok: impl Fn(&str) -> bool,
) -> anyhow::Result<String> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let text = match page.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if ok(&text) {
            return Ok(text);
        }
        ensure!(
            tokio::time::Instant::now() < deadline,
            "`{css}` reads {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn head(app: &WebApp) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT position FROM es.log_head")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// The browser's session cookie, as a `Cookie` header.
async fn session_cookie(page: &Client) -> anyhow::Result<String> {
    let cookie = page
        .get_named_cookie("lectern_session")
        .await
        .context("the session cookie")?;
    Ok(format!("{}={}", cookie.name(), cookie.value()))
}

#[tokio::test]
async fn an_auditor_opens_the_log_and_an_event_and_follows_its_correlation() {
    let app = WebApp::spawn().await;
    history(&app).await;
    in_browser("audit_log", |browser| async {
        let outcome = async {
            let page = browser.client();
            sign_in(page, &app, "ada").await?;
            page.find(Locator::LinkText("Log")).await?.click().await?;
            let log = text_of(page, "[data-test=log] tbody").await?;
            ensure!(
                log.contains("UserRegistered") && log.contains("UserRoleChanged"),
                "{log}"
            );
            browser.screenshot("audit_log").await?;

            // A filter typed into the form narrows the page to that type.
            page.find(Locator::Css("input[name=type]"))
                .await?
                .send_keys("UserRegistered")
                .await?;
            page.find(Locator::Css("[data-test=log-filters] button[type=submit]"))
                .await?
                .click()
                .await?;
            let filtered = wait_for_text(page, "[data-test=log] tbody", |t| {
                !t.contains("UserRoleChanged")
            })
            .await?;
            ensure!(
                filtered.matches("UserRegistered").count() == 2,
                "{filtered}"
            );

            // A filter that is not one is refused on its field, what was typed kept.
            page.goto(&app.url("/audit/log?stream=Not%20a%20stream"))
                .await?;
            let error = text_of(page, "[data-test=error-stream]").await?;
            ensure!(error.contains("neither a stream id"), "{error}");

            page.goto(&app.url("/audit/log")).await?;
            page.find(Locator::XPath(
                "//tr[td[text()='UserRoleChanged']]//a[@data-test='event-link']",
            ))
            .await?
            .click()
            .await?;
            ensure!(
                text_of(page, "[data-test=event-type]")
                    .await?
                    .contains("UserRoleChanged")
            );
            let payload = text_of(page, "[data-test=event-payload]").await?;
            ensure!(payload.contains("\"student\""), "{payload}");
            let hash = text_of(page, "[data-test=event-hash]").await?;
            ensure!(
                hash.len() == 64 && hash.chars().all(|c| c.is_ascii_hexdigit()),
                "{hash}"
            );
            let previous = text_of(page, "[data-test=event-previous-hash]").await?;
            ensure!(
                previous.contains("position") && !previous.contains(&hash),
                "{previous}"
            );
            let metadata = text_of(page, "[data-test=event-metadata]").await?;
            ensure!(metadata.contains("correlation_id"), "{metadata}");
            browser.screenshot("audit_event").await?;

            // The correlation: the request that changed the role wrote this one event.
            page.find(Locator::Css("[data-test=correlation-link]"))
                .await?
                .click()
                .await?;
            let correlated = text_of(page, "[data-test=log] tbody").await?;
            ensure!(
                correlated.contains("UserRoleChanged") && !correlated.contains("UserRegistered"),
                "{correlated}"
            );
            let field = page
                .find(Locator::Css("input[name=correlation]"))
                .await?
                .prop("value")
                .await?
                .unwrap_or_default();
            ensure!(metadata.contains(&field) && !field.is_empty(), "{field}");
            Ok(())
        }
        .await;
        (browser, outcome)
    })
    .await;
}

#[tokio::test]
async fn an_auditor_moves_a_streams_version_slider_and_sees_its_state_change() {
    let app = WebApp::spawn().await;
    let grace = history(&app).await;
    in_browser("audit_stream", |browser| async {
        let outcome = async {
            let page = browser.client();
            sign_in(page, &app, "ada").await?;
            page.find(Locator::LinkText("Streams"))
                .await?
                .click()
                .await?;
            page.find(Locator::Css("input[name=prefix]"))
                .await?
                .send_keys(&format!("user-{grace}"))
                .await?;
            page.find(Locator::Css("main form button[type=submit]"))
                .await?
                .click()
                .await?;
            page.wait()
                .at_most(WAIT)
                .for_element(Locator::LinkText(&format!("user-{grace}")))
                .await?
                .click()
                .await?;
            ensure!(text_of(page, "[data-test=state-version]").await? == "2");
            let now = text_of(page, "[data-test=state-json]").await?;
            ensure!(now.contains("\"student\""), "{now}");
            let rows = text_of(page, "[data-test=history] tbody").await?;
            ensure!(
                rows.contains("UserRegistered") && rows.contains("UserRoleChanged"),
                "{rows}"
            );

            // The keyboard moves the slider one version back; htmx swaps the state in.
            let slider = page
                .find(Locator::Css("[data-test=version-slider]"))
                .await?;
            slider.send_keys("\u{e012}").await?; // ArrowLeft
            wait_for_text(page, "[data-test=state-version]", |v| v == "1").await?;
            let then = text_of(page, "[data-test=state-json]").await?;
            ensure!(
                then.contains("\"teacher\"") && !then.contains("\"student\""),
                "{then}"
            );
            browser.screenshot("audit_stream").await?;

            // Without htmx the button does it too: version 2 by the page's own form.
            page.goto(&app.url(&format!("/audit/streams/user-{grace}?version=2")))
                .await?;
            ensure!(text_of(page, "[data-test=state-version]").await? == "2");
            // A time before the stream began: the API's refusal, in the panel.
            page.goto(&app.url(&format!("/audit/streams/user-{grace}?at=2000-01-01T00:00")))
                .await?;
            let refused = text_of(page, "[data-test=state-error]").await?;
            ensure!(refused.contains("no event recorded"), "{refused}");
            Ok(())
        }
        .await;
        (browser, outcome)
    })
    .await;
}

/// Click "Verify" and wait for its outcome.
async fn run_verify(page: &Client, app: &WebApp) -> anyhow::Result<()> {
    page.goto(&app.url("/audit/verify")).await?;
    page.find(Locator::Css("[data-test=verify-start]"))
        .await?
        .click()
        .await?;
    page.wait()
        .at_most(WAIT)
        .for_element(Locator::Css("[data-test=verify-done]"))
        .await?;
    Ok(())
}

#[tokio::test]
async fn an_auditor_runs_verify_and_sees_it_pass_with_the_number_of_events() {
    let app = WebApp::spawn().await;
    history(&app).await;
    in_browser("audit_verify_passed", |browser| async {
        let outcome = async {
            let page = browser.client();
            sign_in(page, &app, "ada").await?;
            page.find(Locator::LinkText("Verify"))
                .await?
                .click()
                .await?;
            run_verify(page, &app).await?;
            let passed = text_of(page, "[data-test=verify-passed]").await?;
            let checked = text_of(page, "[data-test=verify-checked]").await?;
            let head = head(&app).await;
            ensure!(checked == head.to_string(), "{passed} (head {head})");
            ensure!(passed.contains(&format!("positions 1–{head}")), "{passed}");
            let bar = page
                .find(Locator::Css("[data-test=verify-progress]"))
                .await?;
            ensure!(bar.attr("value").await?.as_deref() == Some(head.to_string().as_str()));
            browser.screenshot("audit_verify_passed").await?;
            Ok(())
        }
        .await;
        (browser, outcome)
    })
    .await;
}

#[tokio::test]
async fn on_a_tampered_log_verify_highlights_the_broken_position_and_links_its_event() {
    let app = WebApp::spawn().await;
    let grace = history(&app).await;
    // Raw SQL, as the store's own tamper tests do: grace's registration renamed.
    let position: i64 = sqlx::query_scalar(
        "UPDATE es.events SET payload = jsonb_set(payload, '{display_name}', '\"Mallory\"')
          WHERE stream_id = $1 AND stream_version = 1 RETURNING position",
    )
    .bind(format!("user-{grace}"))
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    in_browser("audit_verify_broken", |browser| async {
        let outcome = async {
            let page = browser.client();
            sign_in(page, &app, "ada").await?;
            run_verify(page, &app).await?;
            let broken = text_of(page, "[data-test=verify-broken]").await?;
            ensure!(
                text_of(page, "[data-test=broken-kind]").await? == "altered",
                "{broken}"
            );
            let link = page.find(Locator::Css("[data-test=broken-link]")).await?;
            ensure!(
                link.text().await? == format!("position {position}"),
                "{broken}"
            );
            browser.screenshot("audit_verify_broken").await?;
            link.click().await?;
            ensure!(text_of(page, "[data-test=event-position]").await? == position.to_string());
            let payload = text_of(page, "[data-test=event-payload]").await?;
            ensure!(payload.contains("Mallory"), "{payload}");
            Ok(())
        }
        .await;
        (browser, outcome)
    })
    .await;
}

#[tokio::test]
async fn the_export_is_the_apis_ndjson_as_an_attachment() {
    let app = WebApp::spawn().await;
    let grace = history(&app).await;
    in_browser("audit_export", |browser| async {
        let outcome = async {
            let page = browser.client();
            sign_in(page, &app, "ada").await?;
            page.goto(&app.url("/audit/log")).await?;
            let href = page
                .find(Locator::Css("[data-test=export-form]"))
                .await?
                .attr("action")
                .await?;
            ensure!(href.as_deref() == Some("/audit/export"), "{href:?}");
            let cookie = session_cookie(page).await?;
            let http = reqwest::Client::new();
            let head = head(&app).await;

            let response = http
                .get(app.url("/audit/export?after=0&limit=&category=&type="))
                .header("cookie", &cookie)
                .send()
                .await?;
            ensure!(response.status() == 200, "{}", response.status());
            let disposition = response
                .headers()
                .get("content-disposition")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            ensure!(disposition.starts_with("attachment;"), "{disposition}");
            let ours = response.bytes().await?;
            let lines: Vec<serde_json::Value> = std::str::from_utf8(&ours)?
                .lines()
                .map(serde_json::from_str)
                .collect::<Result<_, _>>()?;
            ensure!(
                lines.len() as i64 == head,
                "{} lines, head {head}",
                lines.len()
            );
            for (n, line) in lines.iter().enumerate() {
                ensure!(line["position"] == json!(n + 1), "{line}");
                ensure!(line["event_type"].is_string() && line["hash"].is_string());
            }
            // Password hashes never leave the server.
            ensure!(!std::str::from_utf8(&ours)?.contains("$argon2"));

            let api = http
                .get(app.url("/v1/log"))
                .bearer_auth(app.admin_token())
                .header("accept", "application/x-ndjson")
                .send()
                .await?
                .bytes()
                .await?;
            ensure!(ours == api, "the export differs from the API's");

            // One stream, as the stream's route gives it.
            let stream = http
                .get(app.url(&format!("/audit/streams/user-{grace}/export")))
                .header("cookie", &cookie)
                .send()
                .await?;
            ensure!(stream.status() == 200);
            let body = stream.text().await?;
            ensure!(body.lines().count() == 2, "{body}");
            for line in body.lines() {
                let event: serde_json::Value = serde_json::from_str(line)?;
                ensure!(event["stream_id"] == json!(format!("user-{grace}")));
            }
            Ok(())
        }
        .await;
        (browser, outcome)
    })
    .await;
}

#[tokio::test]
async fn other_roles_get_the_forbidden_page() {
    let app = WebApp::spawn().await;
    let grace = history(&app).await;
    app.register(Role::Teacher, "tim", "Tim Berners-Lee").await;
    in_browser("audit_forbidden", |browser| async {
        let outcome = async {
            let page = browser.client();
            sign_in(page, &app, "tim").await?;
            let nav = text_of(page, "header nav").await?;
            ensure!(!nav.contains("Verify"), "{nav}");
            let cookie = session_cookie(page).await?;
            let http = reqwest::Client::new();
            for path in [
                "/audit/log".to_owned(),
                "/audit/events/1".to_owned(),
                "/audit/streams".to_owned(),
                format!("/audit/streams/user-{grace}"),
                format!("/audit/streams/user-{grace}/state?version=1"),
                format!("/audit/streams/user-{grace}/export"),
                "/audit/verify".to_owned(),
                "/audit/verify/progress".to_owned(),
                "/audit/export".to_owned(),
            ] {
                let status = http
                    .get(app.url(&path))
                    .header("cookie", &cookie)
                    .send()
                    .await?
                    .status();
                ensure!(status == 403, "{path}: {status}");
            }
            page.goto(&app.url("/audit/log")).await?;
            let title = text_of(page, "h1").await?;
            ensure!(title.contains("role does not allow"), "{title}");
            Ok(())
        }
        .await;
        (browser, outcome)
    })
    .await;
}
