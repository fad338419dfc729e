//! The class, content request and progress routes are all in the OpenAPI document.

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_openapi_document_has_the_class_content_request_and_progress_routes() {
    let app = spawn_app().await;

    let document = app.openapi().await;

    let paths = &document["paths"];
    for (path, method, success) in [
        ("/v1/classes", "post", "201"),
        ("/v1/classes", "get", "200"),
        ("/v1/classes/{id}", "get", "200"),
        ("/v1/classes/{id}/enrollments", "post", "200"),
        ("/v1/classes/{id}/enrollments/{student_id}", "delete", "200"),
        ("/v1/classes/{id}/lessons", "post", "200"),
        ("/v1/classes/{id}/lessons/{lesson_id}", "delete", "200"),
        ("/v1/classes/{id}/archive", "post", "200"),
        ("/v1/classes/{id}/students", "get", "200"),
        ("/v1/classes/{id}/progress", "get", "200"),
        ("/v1/lessons/{id}/content-requests", "post", "201"),
        ("/v1/content-requests", "get", "200"),
        ("/v1/content-requests/{id}", "get", "200"),
        ("/v1/content-requests/{id}/cancel", "post", "200"),
        ("/v1/progress", "get", "200"),
        ("/v1/progress/{lesson_id}", "get", "200"),
        ("/v1/progress/{lesson_id}", "post", "200"),
        ("/v1/progress/{lesson_id}/start", "post", "201"),
        ("/v1/progress/{lesson_id}/complete", "post", "200"),
        ("/v1/students/{id}/progress", "get", "200"),
    ] {
        let operation = &paths[path][method];
        assert!(operation.is_object(), "{method} {path} is missing");
        assert!(
            operation["responses"].get(success).is_some(),
            "{method} {path}: no {success}"
        );
        assert!(operation.get("security").is_some(), "{method} {path}");
    }
    let parts = &document["components"]["schemas"]["RequestContent"]["properties"]["parts"];
    assert_eq!(parts["items"]["enum"][0], "lesson_content");
}
