use serde::{Deserialize, Serialize};

use super::ValueError;

/// What students should be able to do after a lesson (e.g. `Explain how light drives
/// photosynthesis`): 1–10 objectives, each trimmed and 3–300 characters, in the order given.
///
/// Generation agents get these verbatim, so the bounds keep a prompt focused and small.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Vec<String>", into = "Vec<String>")]
pub struct LearningObjectives(Vec<String>);

impl LearningObjectives {
    pub const MAX_ITEMS: usize = 10;
    pub const MIN_CHARS: usize = 3;
    pub const MAX_CHARS: usize = 300;

    pub fn parse<S: AsRef<str>>(raw: impl IntoIterator<Item = S>) -> Result<Self, ValueError> {
        let mut objectives = Vec::new();
        for (index, item) in raw.into_iter().enumerate() {
            let trimmed = item.as_ref().trim();
            let chars = trimmed.chars().count();
            if !(Self::MIN_CHARS..=Self::MAX_CHARS).contains(&chars) {
                return Err(ValueError::ObjectiveLength { index, chars });
            }
            objectives.push(trimmed.to_owned());
        }
        if (1..=Self::MAX_ITEMS).contains(&objectives.len()) {
            Ok(Self(objectives))
        } else {
            Err(ValueError::ObjectivesCount {
                count: objectives.len(),
            })
        }
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// Never zero.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: there is at least one objective. For clippy's `len` convention.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_inner(self) -> Vec<String> {
        self.0
    }
}

impl TryFrom<Vec<String>> for LearningObjectives {
    type Error = ValueError;

    fn try_from(raw: Vec<String>) -> Result<Self, Self::Error> {
        Self::parse(raw)
    }
}

impl From<LearningObjectives> for Vec<String> {
    fn from(objectives: LearningObjectives) -> Self {
        objectives.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_objective_is_accepted() {
        let objectives = LearningObjectives::parse(["Name the parts of a leaf"]).unwrap();
        assert_eq!(objectives.as_slice(), ["Name the parts of a leaf"]);
        assert_eq!(objectives.len(), 1);
        assert!(!objectives.is_empty());
    }

    #[test]
    fn ten_objectives_are_accepted_in_their_order() {
        let raw: Vec<String> = (0..10).map(|i| format!("objective {i}")).collect();
        let objectives = LearningObjectives::parse(&raw).unwrap();
        assert_eq!(objectives.iter().collect::<Vec<_>>(), raw);
    }

    #[test]
    fn no_objectives_are_rejected() {
        assert_eq!(
            LearningObjectives::parse(Vec::<String>::new()),
            Err(ValueError::ObjectivesCount { count: 0 })
        );
    }

    #[test]
    fn eleven_objectives_are_rejected() {
        let error = LearningObjectives::parse(vec!["abc"; 11]).unwrap_err();
        assert_eq!(error, ValueError::ObjectivesCount { count: 11 });
        assert_eq!(error.field(), "objectives");
    }

    #[test]
    fn objectives_of_three_and_three_hundred_characters_are_accepted() {
        let long = "ü".repeat(300);
        let objectives = LearningObjectives::parse(["abc", long.as_str()]).unwrap();
        assert_eq!(objectives.as_slice(), ["abc".to_owned(), long]);
    }

    #[test]
    fn an_objective_of_two_characters_is_rejected_and_located() {
        let error = LearningObjectives::parse(["abc", " ab "]).unwrap_err();
        assert_eq!(error, ValueError::ObjectiveLength { index: 1, chars: 2 });
        assert_eq!(
            error.to_string(),
            "objectives[1] must be 3–300 characters (got 2)"
        );
    }

    #[test]
    fn an_objective_of_three_hundred_and_one_characters_is_rejected() {
        assert_eq!(
            LearningObjectives::parse(["ü".repeat(301)]),
            Err(ValueError::ObjectiveLength {
                index: 0,
                chars: 301
            })
        );
    }

    #[test]
    fn objectives_are_trimmed() {
        let objectives = LearningObjectives::parse(["  Explain light \n"]).unwrap();
        assert_eq!(objectives.as_slice(), ["Explain light"]);
    }

    #[test]
    fn objectives_are_a_json_array_of_strings_and_deserializing_validates() {
        let objectives = LearningObjectives::parse(["Explain light"]).unwrap();
        assert_eq!(
            serde_json::to_value(&objectives).unwrap(),
            serde_json::json!(["Explain light"])
        );
        assert_eq!(
            serde_json::from_value::<LearningObjectives>(serde_json::json!(["Explain light"]))
                .unwrap(),
            objectives
        );
        assert!(serde_json::from_value::<LearningObjectives>(serde_json::json!([])).is_err());
        assert!(serde_json::from_value::<LearningObjectives>(serde_json::json!(["a"])).is_err());
    }
}
