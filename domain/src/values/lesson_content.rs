use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{JsonKind, ValueError};

/// A lesson's structured content (sections, activities, media references): a JSON object
/// of at most 256 KiB in its compact JSON form.
///
/// The limit keeps single events small enough to append, relay and project quickly; large
/// media belongs elsewhere and is referenced from here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Value", into = "Value")]
pub struct LessonContent(Map<String, Value>);

impl LessonContent {
    pub const MAX_BYTES: usize = 256 * 1024;

    pub fn parse(raw: Value) -> Result<Self, ValueError> {
        let bytes = raw.to_string().len();
        match raw {
            Value::Object(_) if bytes > Self::MAX_BYTES => {
                Err(ValueError::LessonContentTooLarge { bytes })
            }
            Value::Object(fields) => Ok(Self(fields)),
            other => Err(ValueError::LessonContentNotAnObject {
                kind: JsonKind::of(&other),
            }),
        }
    }

    /// `{}`: a lesson drafted before any content exists.
    pub fn empty() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn as_object(&self) -> &Map<String, Value> {
        &self.0
    }

    pub fn to_value(&self) -> Value {
        Value::Object(self.0.clone())
    }

    pub fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}

impl TryFrom<Value> for LessonContent {
    type Error = ValueError;

    fn try_from(raw: Value) -> Result<Self, Self::Error> {
        Self::parse(raw)
    }
}

impl From<LessonContent> for Value {
    fn from(content: LessonContent) -> Self {
        content.into_value()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// An object whose compact JSON form is exactly `bytes` long.
    fn object_of_size(bytes: usize) -> Value {
        let overhead = json!({ "text": "" }).to_string().len();
        json!({ "text": "a".repeat(bytes - overhead) })
    }

    #[test]
    fn empty_content_is_the_empty_object() {
        assert_eq!(LessonContent::empty().into_value(), json!({}));
        assert_eq!(
            LessonContent::parse(json!({})).unwrap(),
            LessonContent::empty()
        );
    }

    #[test]
    fn content_of_exactly_256_kib_is_accepted() {
        let raw = object_of_size(LessonContent::MAX_BYTES);
        assert_eq!(raw.to_string().len(), 262_144);
        assert_eq!(LessonContent::parse(raw.clone()).unwrap().into_value(), raw);
    }

    #[test]
    fn content_one_byte_over_256_kib_is_rejected() {
        assert_eq!(
            LessonContent::parse(object_of_size(LessonContent::MAX_BYTES + 1)),
            Err(ValueError::LessonContentTooLarge { bytes: 262_145 })
        );
    }

    #[test]
    fn content_that_is_not_an_object_is_rejected() {
        for (raw, kind) in [
            (json!(null), JsonKind::Null),
            (json!([1, 2]), JsonKind::Array),
            (json!("text"), JsonKind::String),
            (json!(3), JsonKind::Number),
            (json!(true), JsonKind::Bool),
        ] {
            assert_eq!(
                LessonContent::parse(raw),
                Err(ValueError::LessonContentNotAnObject { kind })
            );
        }
    }

    #[test]
    fn content_serializes_as_the_object_itself_and_deserializing_validates() {
        let raw = json!({ "sections": [{ "heading": "Intro" }] });
        let content = LessonContent::parse(raw.clone()).unwrap();
        assert_eq!(serde_json::to_value(&content).unwrap(), raw);
        assert_eq!(
            serde_json::from_value::<LessonContent>(raw).unwrap(),
            content
        );
        assert!(serde_json::from_value::<LessonContent>(json!([])).is_err());
    }

    #[test]
    fn a_content_error_names_the_field() {
        let error = LessonContent::parse(json!([])).unwrap_err();
        assert_eq!(error.field(), "content");
        assert_eq!(
            error.to_string(),
            "lesson content must be a JSON object (got an array)"
        );
    }
}
