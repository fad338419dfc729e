use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::LessonEvent;
use crate::values::{
    ContentRequestId, Description, GradeLevel, LessonContent, LessonId, Subject, Title, UserId,
    ValueError,
};

/// Where a lesson is in its life. `NotDrafted` is a lesson that was never drafted: its
/// stream is empty.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LessonStatus {
    /// Serialized `none`: snapshots of folded state and the API's `status` query
    /// parameter use that name, so it stays.
    #[default]
    #[serde(rename = "none")]
    NotDrafted,
    Draft,
    InReview,
    Approved,
    Published,
    Archived,
}

impl LessonStatus {
    pub const ALL: [LessonStatus; 6] = [
        Self::NotDrafted,
        Self::Draft,
        Self::InReview,
        Self::Approved,
        Self::Published,
        Self::Archived,
    ];

    /// A draft or in review: the lesson's content may still change (by revision, or by
    /// attaching generated content).
    pub fn is_editable(self) -> bool {
        matches!(self, Self::Draft | Self::InReview)
    }

    /// The snake_case name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotDrafted => "none",
            Self::Draft => "draft",
            Self::InReview => "in_review",
            Self::Approved => "approved",
            Self::Published => "published",
            Self::Archived => "archived",
        }
    }

    /// Exactly one of the snake_case names [`Self::as_str`] gives (e.g. a read model's
    /// `status` column): no trimming, no other case.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == raw)
            .ok_or_else(|| ValueError::UnknownLessonStatus {
                got: raw.chars().take(50).collect(),
            })
    }
}

impl FromStr for LessonStatus {
    type Err = ValueError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

impl TryFrom<String> for LessonStatus {
    type Error = ValueError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl fmt::Display for LessonStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotDrafted => "not drafted",
            Self::InReview => "in review",
            other => other.as_str(),
        })
    }
}

/// A lesson as its events left it.
///
/// The fields are private so that only events shape it: a lesson has details exactly when
/// its status is not [`LessonStatus::NotDrafted`]. Serde is for snapshots of folded state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    status: LessonStatus,
    details: Option<LessonDetails>,
    /// Default for snapshots taken before lessons had generated content.
    #[serde(default)]
    generated: Option<GeneratedContent>,
}

/// The latest content a content request generated for a lesson.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeneratedContent {
    pub content_request_id: ContentRequestId,
    pub content: LessonContent,
}

/// What a drafted lesson is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonDetails {
    pub id: LessonId,
    pub title: Title,
    pub description: Description,
    pub subject: Subject,
    pub grade_level: GradeLevel,
    pub content: LessonContent,
    pub author: UserId,
}

impl Lesson {
    pub fn status(&self) -> LessonStatus {
        self.status
    }

    pub fn exists(&self) -> bool {
        self.details.is_some()
    }

    /// `None` until the lesson is drafted.
    pub fn details(&self) -> Option<&LessonDetails> {
        self.details.as_ref()
    }

    pub fn id(&self) -> Option<LessonId> {
        self.details.as_ref().map(|d| d.id)
    }

    pub fn title(&self) -> Option<&Title> {
        self.details.as_ref().map(|d| &d.title)
    }

    pub fn description(&self) -> Option<&Description> {
        self.details.as_ref().map(|d| &d.description)
    }

    pub fn subject(&self) -> Option<&Subject> {
        self.details.as_ref().map(|d| &d.subject)
    }

    pub fn grade_level(&self) -> Option<GradeLevel> {
        self.details.as_ref().map(|d| d.grade_level)
    }

    pub fn content(&self) -> Option<&LessonContent> {
        self.details.as_ref().map(|d| &d.content)
    }

    pub fn author(&self) -> Option<UserId> {
        self.details.as_ref().map(|d| d.author)
    }

    /// The latest generated content attached, if any; an attachment replaces the one
    /// before.
    pub fn generated_content(&self) -> Option<&GeneratedContent> {
        self.generated.as_ref()
    }
}

pub(super) fn evolve(mut lesson: Lesson, event: &LessonEvent) -> Lesson {
    match event {
        LessonEvent::LessonDrafted {
            lesson_id,
            title,
            description,
            subject,
            grade_level,
            content,
            author,
        } => {
            lesson.status = LessonStatus::Draft;
            lesson.details = Some(LessonDetails {
                id: *lesson_id,
                title: title.clone(),
                description: description.clone(),
                subject: subject.clone(),
                grade_level: *grade_level,
                content: content.clone(),
                author: *author,
            });
        }
        LessonEvent::LessonRevised {
            title,
            description,
            subject,
            grade_level,
            content,
        } => {
            // Only a drafted lesson is ever revised; a stray revision has nothing to change.
            if let Some(details) = lesson.details.as_mut() {
                replace(&mut details.title, title);
                replace(&mut details.description, description);
                replace(&mut details.subject, subject);
                replace(&mut details.grade_level, grade_level);
                replace(&mut details.content, content);
            }
        }
        LessonEvent::LessonSubmittedForReview => lesson.status = LessonStatus::InReview,
        LessonEvent::LessonApproved { .. } => lesson.status = LessonStatus::Approved,
        LessonEvent::LessonPublished => lesson.status = LessonStatus::Published,
        LessonEvent::LessonArchived { .. } => lesson.status = LessonStatus::Archived,
        LessonEvent::GeneratedContentAttached {
            content_request_id,
            content,
        } => {
            lesson.generated = Some(GeneratedContent {
                content_request_id: *content_request_id,
                content: content.clone(),
            });
        }
    }
    lesson
}

fn replace<T: Clone>(field: &mut T, change: &Option<T>) {
    if let Some(value) = change {
        *field = value.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_parses_from_its_name_and_serializes_as_it() {
        for status in LessonStatus::ALL {
            assert_eq!(LessonStatus::parse(status.as_str()), Ok(status));
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
    }

    #[test]
    fn a_lesson_not_drafted_is_none_on_the_wire_and_not_drafted_in_words() {
        let status = LessonStatus::default();
        assert_eq!(status, LessonStatus::NotDrafted);
        assert_eq!(serde_json::to_value(status).unwrap(), "none");
        assert_eq!(
            serde_json::from_value::<LessonStatus>("none".into()).unwrap(),
            status
        );
        assert_eq!(status.to_string(), "not drafted");
    }

    #[test]
    fn an_unknown_status_is_rejected_and_named() {
        let error = LessonStatus::parse("Draft").unwrap_err();
        assert_eq!(
            error,
            ValueError::UnknownLessonStatus {
                got: "Draft".into()
            }
        );
        assert_eq!(error.field(), "status");
        assert!(LessonStatus::try_from("not_drafted".to_owned()).is_err());
    }
}
