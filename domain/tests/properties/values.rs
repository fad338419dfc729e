use domain::{
    AgentName, ClassName, Completion, ContentPart, ContentParts, Description, DisplayName,
    DurationMinutes, Email, GradeLevel, LearningObjectives, LessonContent, MaxStudents, Reason,
    Role, Subject, Theme, Title, Username, Xp,
};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Accepted text reparses to itself, and JSON round-trips to the same value.
fn stable<T>(parsed: T, reparse: impl Fn(&str) -> Result<T, domain::ValueError>, text: &str)
where
    T: PartialEq + std::fmt::Debug + Serialize + DeserializeOwned,
{
    assert_eq!(reparse(text).as_ref(), Ok(&parsed), "reparsing {text:?}");
    let json = serde_json::to_value(&parsed).expect("serializes");
    let back: T = serde_json::from_value(json).expect("deserializes through parse");
    assert_eq!(back, parsed);
}

/// Strings around the interesting lengths, with whitespace, control characters and
/// multi-byte characters.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ \\t\\n]{0,3}[a-zA-Z0-9 _.@+-]{0,210}[ \\t]{0,3}",
        "[\\PC]{0,120}",
    ]
}

macro_rules! text_properties {
    ($($name:ident => $ty:ty),* $(,)?) => {
        proptest! {
            $(
                #[test]
                fn $name(raw in text()) {
                    if let Ok(value) = <$ty>::parse(&raw) {
                        stable(value.clone(), |s| <$ty>::parse(s), value.as_str());
                    }
                }
            )*
        }
    };
}

text_properties! {
    titles_parse_stably => Title,
    subjects_parse_stably => Subject,
    class_names_parse_stably => ClassName,
    display_names_parse_stably => DisplayName,
    usernames_parse_stably => Username,
    emails_parse_stably => Email,
    themes_parse_stably => Theme,
    descriptions_parse_stably => Description,
    reasons_parse_stably => Reason,
}

macro_rules! int_properties {
    ($($name:ident => $ty:ty),* $(,)?) => {
        proptest! {
            $(
                #[test]
                fn $name(raw in prop_oneof![any::<i64>(), -10i64..1_000_010]) {
                    let parsed = <$ty>::parse(raw);
                    let in_range = raw >= i64::from(<$ty>::MIN) && raw <= i64::from(<$ty>::MAX);
                    prop_assert_eq!(parsed.is_ok(), in_range, "{}", raw);
                    if let Ok(value) = parsed {
                        prop_assert_eq!(i64::from(value.get()), raw);
                        let back: $ty = serde_json::from_value(serde_json::to_value(value).unwrap()).unwrap();
                        prop_assert_eq!(back, value);
                    } else {
                        prop_assert!(serde_json::from_value::<$ty>(serde_json::json!(raw)).is_err());
                    }
                }
            )*
        }
    };
}

int_properties! {
    completions_accept_exactly_their_range => Completion,
    durations_accept_exactly_their_range => DurationMinutes,
    class_sizes_accept_exactly_their_range => MaxStudents,
    xp_accepts_exactly_its_range => Xp,
}

proptest! {
    #[test]
    fn grade_levels_accept_exactly_kindergarten_to_twelve(raw in any::<i64>()) {
        prop_assert_eq!(GradeLevel::parse(raw).is_ok(), (0..=12).contains(&raw));
    }

    #[test]
    fn roles_agents_and_parts_parse_only_their_names(raw in text()) {
        if let Ok(role) = Role::parse(&raw) {
            prop_assert_eq!(role.as_str(), raw.as_str());
        }
        if let Ok(agent) = AgentName::parse(&raw) {
            prop_assert_eq!(agent.as_str(), raw.as_str());
        }
        if let Ok(part) = ContentPart::parse(&raw) {
            prop_assert_eq!(part.as_str(), raw.as_str());
        }
    }

    #[test]
    fn objectives_parse_stably(raw in proptest::collection::vec(text(), 0..12)) {
        if let Ok(objectives) = LearningObjectives::parse(&raw) {
            stable_objectives(objectives);
        }
    }

    #[test]
    fn part_sets_are_their_distinct_parts(raw in proptest::collection::vec(0usize..4, 0..8)) {
        let parts: Vec<ContentPart> = raw.iter().map(|i| ContentPart::ALL[*i]).collect();
        match ContentParts::parse(parts.clone()) {
            Ok(set) => {
                let mut distinct = parts.clone();
                distinct.sort();
                distinct.dedup();
                prop_assert_eq!(set.iter().collect::<Vec<_>>(), distinct);
            }
            Err(_) => prop_assert!(parts.is_empty()),
        }
    }

    #[test]
    fn lesson_content_takes_any_json_object_under_its_limit(value in json(3)) {
        match LessonContent::parse(value.clone()) {
            Ok(content) => {
                prop_assert!(value.is_object());
                prop_assert_eq!(serde_json::Value::Object(content.as_object().clone()), value);
            }
            Err(_) => prop_assert!(!value.is_object() || value.to_string().len() > LessonContent::MAX_BYTES),
        }
    }
}

fn stable_objectives(objectives: LearningObjectives) {
    let again = LearningObjectives::parse(objectives.as_slice()).expect("reparses");
    assert_eq!(again, objectives);
    let back: LearningObjectives =
        serde_json::from_value(serde_json::to_value(&objectives).unwrap()).unwrap();
    assert_eq!(back, objectives);
}

/// Arbitrary JSON, nested up to `depth` levels.
pub fn json(depth: u32) -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        text().prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(depth, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(serde_json::Value::from),
            proptest::collection::btree_map("[a-z_]{1,12}", inner, 0..8)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}
