use std::{collections::BTreeSet, fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use super::ValueError;

/// One kind of generated content, made by its own agent (the seeds' content, quiz,
/// terrain and script agents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentPart {
    /// The lesson's structure and text.
    LessonContent,
    Quiz,
    /// A 3D environment for the lesson.
    Terrain,
    /// A Roblox (Luau) script.
    Script,
}

impl ContentPart {
    pub const ALL: [ContentPart; 4] =
        [Self::LessonContent, Self::Quiz, Self::Terrain, Self::Script];

    /// The snake_case name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LessonContent => "lesson_content",
            Self::Quiz => "quiz",
            Self::Terrain => "terrain",
            Self::Script => "script",
        }
    }

    /// Exactly one of the snake_case names.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        Self::ALL
            .into_iter()
            .find(|part| part.as_str() == raw)
            .ok_or_else(|| ValueError::UnknownContentPart {
                got: raw.chars().take(50).collect(),
            })
    }
}

impl FromStr for ContentPart {
    type Err = ValueError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

impl fmt::Display for ContentPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which parts a content request wants: a non-empty set of [`ContentPart`]s. A part named
/// twice counts once. Serialized as an array in the order of [`ContentPart::ALL`], so equal
/// sets always look the same in the log.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Vec<ContentPart>", into = "Vec<ContentPart>")]
pub struct ContentParts(BTreeSet<ContentPart>);

impl ContentParts {
    pub fn parse(parts: impl IntoIterator<Item = ContentPart>) -> Result<Self, ValueError> {
        let parts: BTreeSet<ContentPart> = parts.into_iter().collect();
        if parts.is_empty() {
            Err(ValueError::ContentPartsEmpty)
        } else {
            Ok(Self(parts))
        }
    }

    /// From names such as `["quiz", "script"]`.
    pub fn parse_names<S: AsRef<str>>(
        names: impl IntoIterator<Item = S>,
    ) -> Result<Self, ValueError> {
        let parts = names
            .into_iter()
            .map(|name| ContentPart::parse(name.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        Self::parse(parts)
    }

    /// Every part: a whole generated lesson.
    pub fn all() -> Self {
        Self(ContentPart::ALL.into_iter().collect())
    }

    pub fn contains(&self, part: ContentPart) -> bool {
        self.0.contains(&part)
    }

    /// In the order of [`ContentPart::ALL`].
    pub fn iter(&self) -> impl Iterator<Item = ContentPart> + '_ {
        self.0.iter().copied()
    }

    /// Never zero.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: there is at least one part. For clippy's `len` convention.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl TryFrom<Vec<ContentPart>> for ContentParts {
    type Error = ValueError;

    fn try_from(parts: Vec<ContentPart>) -> Result<Self, Self::Error> {
        Self::parse(parts)
    }
}

impl From<ContentParts> for Vec<ContentPart> {
    fn from(parts: ContentParts) -> Self {
        parts.0.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_part_parses_from_its_name_and_serializes_as_it() {
        for part in ContentPart::ALL {
            assert_eq!(ContentPart::parse(part.as_str()), Ok(part));
            assert_eq!(serde_json::to_value(part).unwrap(), part.as_str());
            assert_eq!(part.to_string(), part.as_str());
        }
    }

    #[test]
    fn an_unknown_part_is_rejected_and_named() {
        let error = ContentPart::parse("Quiz").unwrap_err();
        assert_eq!(error, ValueError::UnknownContentPart { got: "Quiz".into() });
        assert_eq!(error.field(), "parts");
    }

    #[test]
    fn one_part_is_accepted() {
        let parts = ContentParts::parse([ContentPart::Quiz]).unwrap();
        assert_eq!(parts.len(), 1);
        assert!(parts.contains(ContentPart::Quiz));
        assert!(!parts.contains(ContentPart::Script));
    }

    #[test]
    fn all_four_parts_are_accepted() {
        assert_eq!(ContentParts::all().len(), 4);
        assert_eq!(
            ContentParts::parse_names(["script", "terrain", "quiz", "lesson_content"]).unwrap(),
            ContentParts::all()
        );
    }

    #[test]
    fn no_parts_are_rejected() {
        let error = ContentParts::parse([]).unwrap_err();
        assert_eq!(error, ValueError::ContentPartsEmpty);
        assert_eq!(error.field(), "parts");
        assert!(ContentParts::parse_names(Vec::<&str>::new()).is_err());
    }

    #[test]
    fn a_part_named_twice_counts_once() {
        let parts = ContentParts::parse_names(["quiz", "quiz"]).unwrap();
        assert_eq!(parts.len(), 1);
    }

    #[test]
    fn an_unknown_name_among_parts_is_rejected() {
        assert!(matches!(
            ContentParts::parse_names(["quiz", "video"]),
            Err(ValueError::UnknownContentPart { .. })
        ));
    }

    #[test]
    fn parts_serialize_in_a_fixed_order_and_deserializing_validates() {
        let parts = ContentParts::parse_names(["script", "lesson_content"]).unwrap();
        assert_eq!(
            serde_json::to_value(&parts).unwrap(),
            json!(["lesson_content", "script"])
        );
        assert_eq!(
            serde_json::from_value::<ContentParts>(json!(["script", "lesson_content"])).unwrap(),
            parts
        );
        assert!(serde_json::from_value::<ContentParts>(json!([])).is_err());
        assert!(serde_json::from_value::<ContentParts>(json!(["video"])).is_err());
    }
}
