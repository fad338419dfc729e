//! The OpenAPI entries of the agents' routes.

use super::*;

#[tokio::test]
async fn the_openapi_document_has_the_agents_routes() {
    let app = spawn_app().await;

    let document = app.openapi().await;

    for path in [
        "/v1/content-requests/{id}/steps",
        "/v1/content-requests/{id}/generated",
        "/v1/content-requests/{id}/failed",
        "/v1/lessons/{id}/generated-content",
    ] {
        let operation = &document["paths"][path]["post"];
        assert!(operation.is_object(), "{path} is missing");
        assert!(operation["responses"]["200"].is_object(), "{path}");
        assert!(
            operation["responses"]["422"]["content"]["application/problem+json"].is_object(),
            "{path}"
        );
        assert!(operation.get("security").is_some(), "{path}");
        let headers: Vec<&str> = operation["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        assert!(headers.contains(&"Idempotency-Key"), "{path}: {headers:?}");
    }
    let schemas = &document["components"]["schemas"];
    assert_eq!(
        schemas["RecordStep"]["properties"]["agent"]["enum"],
        json!(["content", "quiz", "terrain", "script", "review"])
    );
    assert_eq!(
        schemas["StepStatus"]["enum"],
        json!(["started", "completed", "failed"])
    );
    assert!(
        schemas["MarkGenerated"]["required"]
            .as_array()
            .unwrap()
            .contains(&json!("outputs"))
    );
    // A step's output is any JSON, not only an object.
    let output = &schemas["RecordStep"]["properties"]["output"];
    assert!(output.get("type").is_none(), "{output}");
    assert!(schemas["AttachGeneratedContent"].is_object());
    assert!(schemas["LessonView"]["properties"]["generated_content"].is_object());
}
