//! The audit routes in the OpenAPI document.

use super::*;

#[tokio::test]
async fn the_audit_routes_are_in_the_openapi_document_under_the_audit_tag() {
    let app = spawn_app().await;
    let document = app.openapi().await;
    for (path, method) in [
        ("/v1/streams/{stream_id}/events", "get"),
        ("/v1/streams/{stream_id}/state", "get"),
        ("/v1/streams", "get"),
        ("/v1/log", "get"),
        ("/v1/audit/verify", "post"),
    ] {
        let operation = &document["paths"][path][method];
        assert_eq!(operation["tags"], json!(["audit"]), "{method} {path}");
    }
    let log = &document["paths"]["/v1/log"]["get"]["responses"]["200"]["content"];
    assert!(log.get("application/x-ndjson").is_some(), "{log}");
}
