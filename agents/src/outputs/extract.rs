//! Finding the JSON object in a model's answer: models wrap it in ```json fences or put a
//! sentence before or after it. This module only locates and parses JSON; it knows nothing
//! of the agents' shapes.

use serde_json::Value;

use super::OutputError;

/// How many `{` are tried as the start of the object before giving up.
const MAX_STARTS: usize = 64;

/// The first JSON object in `text`: the content of the first fenced block that holds one,
/// else the first `{` from which an object parses (text after it is ignored).
pub fn json_object(text: &str) -> Result<Value, OutputError> {
    for block in fenced_blocks(text) {
        if let Ok(value @ Value::Object(_)) = serde_json::from_str::<Value>(block.trim()) {
            return Ok(value);
        }
    }
    let mut first_error = None;
    for (start, _) in text.match_indices('{').take(MAX_STARTS) {
        match first_value(&text[start..]) {
            Ok(value @ Value::Object(_)) => return Ok(value),
            Ok(_) => {}
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    Err(match first_error {
        Some(error) => OutputError::Syntax {
            line: error.line(),
            column: error.column(),
            message: error.to_string(),
        },
        None => OutputError::NoJson,
    })
}

/// The one JSON value at the start of `text`, ignoring whatever follows it.
fn first_value(text: &str) -> Result<Value, serde_json::Error> {
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    values
        .next()
        .unwrap_or_else(|| serde_json::from_str::<Value>(text))
}

/// The contents of the ``` fenced blocks of `text`, in order; the info string (`json`)
/// after the opening fence is skipped.
fn fenced_blocks(text: &str) -> impl Iterator<Item = &str> {
    text.split("```").skip(1).step_by(2).map(|block| {
        let first_line_end = block.find('\n').unwrap_or(0);
        let info = &block[..first_line_end];
        if info.trim().chars().all(|c| c.is_ascii_alphanumeric()) {
            &block[first_line_end..]
        } else {
            block
        }
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn bare_json_is_taken_as_is() {
        assert_eq!(json_object(r#"{"a": 1}"#).unwrap(), json!({"a": 1}));
    }

    #[test]
    fn a_json_fence_with_prose_around_it_is_unwrapped() {
        let text = "Here is the plan:\n```json\n{\"a\": [1, 2]}\n```\nHope it helps!";
        assert_eq!(json_object(text).unwrap(), json!({"a": [1, 2]}));
    }

    #[test]
    fn a_fence_without_a_language_is_unwrapped() {
        let text = "```\n{\"a\": \"b\"}\n```";
        assert_eq!(json_object(text).unwrap(), json!({"a": "b"}));
    }

    #[test]
    fn leading_and_trailing_prose_without_fences_is_ignored() {
        let text = "Sure! {\"a\": \"}\"} That is all.";
        assert_eq!(json_object(text).unwrap(), json!({"a": "}"}));
    }

    #[test]
    fn a_brace_in_the_prose_before_the_object_is_skipped() {
        let text = "Use {curly} braces: {\"a\": 1}";
        assert_eq!(json_object(text).unwrap(), json!({"a": 1}));
    }

    #[test]
    fn text_without_an_object_is_no_json() {
        assert_eq!(
            json_object("I cannot help with that."),
            Err(OutputError::NoJson)
        );
        assert_eq!(json_object("[1, 2]"), Err(OutputError::NoJson));
    }

    #[test]
    fn a_broken_object_is_a_syntax_error_located_in_it() {
        let error = json_object("{\n  \"a\": 1,\n  \"b\": ]\n}").unwrap_err();
        let OutputError::Syntax { line, column, .. } = error else {
            panic!("{error:?}");
        };
        assert_eq!((line, column), (3, 8));
    }
}
