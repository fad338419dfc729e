use std::fmt;

use serde::{Deserialize, Serialize};

use super::{ContentPart, ValueError};

/// One agent of the content pipeline (the seeds' supervisor runs them): `content` writes
/// the lesson's structure, `quiz`, `terrain` and `script` make their parts from it, and
/// `review` checks everything before the request is marked generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentName {
    Content,
    Quiz,
    Terrain,
    Script,
    Review,
}

impl AgentName {
    pub const ALL: [AgentName; 5] = [
        Self::Content,
        Self::Quiz,
        Self::Terrain,
        Self::Script,
        Self::Review,
    ];

    /// The snake_case name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Content => "content",
            Self::Quiz => "quiz",
            Self::Terrain => "terrain",
            Self::Script => "script",
            Self::Review => "review",
        }
    }

    /// Exactly one of the snake_case names.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        Self::ALL
            .into_iter()
            .find(|agent| agent.as_str() == raw)
            .ok_or_else(|| ValueError::UnknownAgent {
                got: raw.chars().take(50).collect(),
            })
    }

    /// The agent that makes `part`.
    pub fn making(part: ContentPart) -> Self {
        match part {
            ContentPart::LessonContent => Self::Content,
            ContentPart::Quiz => Self::Quiz,
            ContentPart::Terrain => Self::Terrain,
            ContentPart::Script => Self::Script,
        }
    }

    /// The part this agent makes; `None` for review, which makes none.
    pub fn part(self) -> Option<ContentPart> {
        match self {
            Self::Content => Some(ContentPart::LessonContent),
            Self::Quiz => Some(ContentPart::Quiz),
            Self::Terrain => Some(ContentPart::Terrain),
            Self::Script => Some(ContentPart::Script),
            Self::Review => None,
        }
    }
}

impl fmt::Display for AgentName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for AgentName {
    type Err = ValueError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_agent_parses_from_its_own_name() {
        for agent in AgentName::ALL {
            assert_eq!(AgentName::parse(agent.as_str()), Ok(agent));
            assert_eq!(
                serde_json::to_value(agent).unwrap(),
                serde_json::json!(agent.as_str())
            );
        }
    }

    #[test]
    fn every_part_is_made_by_the_agent_that_names_it() {
        for part in ContentPart::ALL {
            assert_eq!(AgentName::making(part).part(), Some(part));
        }
        assert_eq!(AgentName::Review.part(), None);
    }

    #[test]
    fn an_unknown_agent_is_rejected_with_its_field() {
        let error = AgentName::parse("writer").unwrap_err();
        assert_eq!(error.field(), "agent");
    }
}
