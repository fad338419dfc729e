//! The API docs page as a person meets it: headless chromium opens `/docs`, Swagger UI
//! (served from the binary, nothing from the network) renders every operation of
//! `/openapi.json`, and a click on one opens it.

use std::time::Duration;

use fantoccini::Locator;

use crate::helpers::spawn_app;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

#[tokio::test]
async fn the_docs_page_renders_every_operation_and_opens_one_on_a_click() {
    let app = spawn_app().await;
    let document = app.openapi().await;
    let operations = document["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| METHODS.iter().filter(|m| item.get(**m).is_some()))
        .count();

    let browser = testkit::Browser::start().await.expect("a browser");
    let page = browser.client();
    page.goto(&app.url("/docs")).await.unwrap();
    let title = page
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(".info .title"))
        .await
        .expect("Swagger UI renders the document's title");
    assert!(title.text().await.unwrap().starts_with("Lectern"));
    let blocks = page.find_all(Locator::Css(".opblock")).await.unwrap();
    assert_eq!(blocks.len(), operations, "one block per operation");

    let first = &blocks[0];
    first
        .find(Locator::Css(".opblock-summary-control"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    page.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(".opblock.is-open .opblock-body"))
        .await
        .expect("a clicked operation opens");
    let shot = browser.screenshot("docs_page").await.unwrap();
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000, "{shot:?}");
    browser.close().await.unwrap();
}
