//! Tests only: a route that answers with a read model's row as it is, while the document
//! describes a schema-only view of it (`LessonView`, `ContentRequestView`), must have the
//! two agree. [`assert_describes`] checks that the schema names exactly the row's JSON
//! fields and requires exactly those the row never leaves null.

use std::collections::BTreeSet;

use serde::Serialize;
use utoipa::PartialSchema;
use utoipa::openapi::{RefOr, Schema};

/// Panics unless `S`'s schema describes `row`'s JSON; returns that JSON for more checks.
pub fn assert_describes<S: PartialSchema>(row: impl Serialize) -> serde_json::Value {
    let RefOr::T(Schema::Object(schema)) = S::schema() else {
        panic!("the view is an object schema");
    };
    let json = serde_json::to_value(row).expect("the row serializes");
    let fields = json.as_object().expect("the row is a JSON object");
    let keys: BTreeSet<&str> = fields.keys().map(String::as_str).collect();
    let properties: BTreeSet<&str> = schema.properties.keys().map(String::as_str).collect();
    assert_eq!(
        properties, keys,
        "the schema's properties are the row's fields"
    );
    let never_null: BTreeSet<&str> = fields
        .iter()
        .filter(|(_, value)| !value.is_null())
        .map(|(key, _)| key.as_str())
        .collect();
    let required: BTreeSet<&str> = schema.required.iter().map(String::as_str).collect();
    assert_eq!(required, never_null, "required are the fields never null");
    json
}
