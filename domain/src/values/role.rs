use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use super::ValueError;

/// What a user is in Lectern. The first four are the people of the seeds' platform; the
/// last three are the accounts of the people and programs around it (auditors, analysts,
/// agent workers). What each may do is [`Role::permissions`], in `crate::access`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Student,
    Teacher,
    Parent,
    Admin,
    /// Reads any stream or the whole log, to check what happened.
    Auditor,
    /// Queries read models.
    Analyst,
    /// A service account of an agent worker that submits generated content.
    Agent,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Self::Student,
        Self::Teacher,
        Self::Parent,
        Self::Admin,
        Self::Auditor,
        Self::Analyst,
        Self::Agent,
    ];

    /// The snake_case name, as serialized (e.g. in a token's `role` claim).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Student => "student",
            Self::Teacher => "teacher",
            Self::Parent => "parent",
            Self::Admin => "admin",
            Self::Auditor => "auditor",
            Self::Analyst => "analyst",
            Self::Agent => "agent",
        }
    }

    /// Exactly one of the snake_case names: no trimming, no other case.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        Self::ALL
            .into_iter()
            .find(|role| role.as_str() == raw)
            .ok_or_else(|| ValueError::UnknownRole {
                got: raw.chars().take(50).collect(),
            })
    }
}

impl FromStr for Role {
    type Err = ValueError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_parses_from_its_name_and_serializes_as_it() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
            assert_eq!(serde_json::to_value(role).unwrap(), role.as_str());
            assert_eq!(role.to_string(), role.as_str());
        }
    }

    #[test]
    fn an_unknown_role_is_rejected_and_named() {
        let error = Role::parse("Teacher").unwrap_err();
        assert_eq!(
            error,
            ValueError::UnknownRole {
                got: "Teacher".into()
            }
        );
        assert_eq!(error.field(), "role");
        assert!(error.to_string().contains("student, teacher, parent"));
    }

    #[test]
    fn a_role_deserializes_only_from_its_snake_case_name() {
        assert_eq!(
            serde_json::from_value::<Role>(serde_json::json!("admin")).unwrap(),
            Role::Admin
        );
        assert!(serde_json::from_value::<Role>(serde_json::json!("root")).is_err());
    }
}
