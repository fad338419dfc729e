use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::ValueError;

/// The conversions every id newtype over a UUID shares. `$field` names it in errors.
macro_rules! uuid_id {
    ($name:ident, $field:literal) => {
        impl $name {
            pub const fn new(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// Any UUID form `uuid` accepts (hyphenated, simple, braced, URN).
            pub fn parse(raw: &str) -> Result<Self, ValueError> {
                Uuid::parse_str(raw.trim())
                    .map(Self)
                    .map_err(|source| ValueError::InvalidId {
                        field: $field,
                        source,
                    })
            }

            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl FromStr for $name {
            type Err = ValueError;

            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                Self::parse(raw)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

/// The stream category of an aggregate's id newtype, and its stream id:
/// `<category>-<hyphenated uuid>`. The category is defined here, once; the aggregate's
/// [`crate::Aggregate::CATEGORY`] is this constant, so values never need the aggregates.
macro_rules! stream_ids {
    ($name:ident, $category:literal) => {
        impl $name {
            /// The stream category of the aggregate this id identifies, the part of its
            /// stream id before the first `-`.
            pub const CATEGORY: &'static str = $category;

            pub fn stream_id(&self) -> String {
                format!("{}-{}", Self::CATEGORY, self.0.hyphenated())
            }

            /// The inverse of `stream_id`. Only the exact form `stream_id` writes is
            /// accepted, so one aggregate can never be addressed under two stream ids.
            pub fn from_stream_id(stream_id: &str) -> Result<Self, ValueError> {
                let category = Self::CATEGORY;
                let invalid = || ValueError::InvalidStreamId {
                    category,
                    got: stream_id.to_owned(),
                };
                let uuid = stream_id
                    .strip_prefix(category)
                    .and_then(|rest| rest.strip_prefix('-'))
                    .and_then(|raw| Uuid::parse_str(raw).ok())
                    .ok_or_else(invalid)?;
                let id = Self(uuid);
                if id.stream_id() == stream_id {
                    Ok(id)
                } else {
                    Err(invalid())
                }
            }
        }
    };
}

/// Identifies a lesson; its stream is `lesson-<uuid>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LessonId(Uuid);

uuid_id!(LessonId, "lesson_id");
stream_ids!(LessonId, "lesson");

/// Identifies a user (teacher, student, parent, admin, or a service account); its stream
/// is `user-<uuid>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(Uuid);

uuid_id!(UserId, "user_id");
stream_ids!(UserId, "user");

/// Identifies a class; its stream is `class-<uuid>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClassId(Uuid);

uuid_id!(ClassId, "class_id");
stream_ids!(ClassId, "class");

/// Identifies a request for generated content; its stream is `content-<uuid>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ContentRequestId(Uuid);

uuid_id!(ContentRequestId, "content_request_id");
stream_ids!(ContentRequestId, "content");

/// Identifies one student's progress through one lesson; its stream is
/// `progress-<uuid>`. Derived from the pair with [`ProgressId::for_student_lesson`], never
/// chosen by a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProgressId(Uuid);

uuid_id!(ProgressId, "progress_id");
stream_ids!(ProgressId, "progress");

impl ProgressId {
    /// The UUIDv5 namespace of progress ids. Changing it would move every student's
    /// progress to new, empty streams: never change it.
    pub const NAMESPACE: Uuid = Uuid::from_u128(0xc6c5_4521_dfdc_49cf_a3e6_a4f5_c1d5_d9fa);

    /// The one progress stream of `student` in `lesson`: a UUIDv5 of the student's and the
    /// lesson's UUID bytes (in that order) in [`Self::NAMESPACE`].
    ///
    /// Being a function of the pair is what makes "one stream per student and lesson" a
    /// fact rather than a rule to check: two racing starts of the same lesson by the same
    /// student address the same stream, and the store's expected-version check lets only
    /// one of them create it. No lookup (and no read model) is needed to find the stream.
    pub fn for_student_lesson(student: UserId, lesson: LessonId) -> Self {
        let mut name = [0u8; 32];
        name[..16].copy_from_slice(student.0.as_bytes());
        name[16..].copy_from_slice(lesson.0.as_bytes());
        Self(Uuid::new_v5(&Self::NAMESPACE, &name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAW: &str = "0190c8a2-7f3e-7b1a-9c4d-2e5f6a7b8c9d";

    #[test]
    fn a_lesson_stream_id_is_the_category_and_the_hyphenated_uuid() {
        let id = LessonId::parse(RAW).unwrap();
        assert_eq!(id.stream_id(), format!("lesson-{RAW}"));
    }

    #[test]
    fn a_lesson_id_comes_back_from_its_stream_id() {
        let id = LessonId::parse(RAW).unwrap();
        assert_eq!(LessonId::from_stream_id(&id.stream_id()).unwrap(), id);
    }

    #[test]
    fn stream_ids_of_other_categories_or_forms_are_rejected() {
        let simple = RAW.replace('-', "");
        for bad in [
            format!("class-{RAW}"),
            format!("lesson{RAW}"),
            format!("lesson-{}", RAW.to_uppercase()),
            format!("lesson-{simple}"),
            "lesson-".to_owned(),
            RAW.to_owned(),
        ] {
            let error = LessonId::from_stream_id(&bad).unwrap_err();
            assert_eq!(
                error,
                ValueError::InvalidStreamId {
                    category: "lesson",
                    got: bad
                }
            );
        }
    }

    #[test]
    fn a_user_stream_id_is_user_and_the_hyphenated_uuid_and_comes_back() {
        let id = UserId::parse(RAW).unwrap();
        assert_eq!(id.stream_id(), format!("user-{RAW}"));
        assert_eq!(UserId::from_stream_id(&id.stream_id()).unwrap(), id);
        assert!(UserId::from_stream_id(&format!("lesson-{RAW}")).is_err());
    }

    #[test]
    fn an_id_that_is_not_a_uuid_is_rejected_and_names_its_field() {
        let error = UserId::parse("not-a-uuid").unwrap_err();
        assert_eq!(error.field(), "user_id");
        assert!(matches!(error, ValueError::InvalidId { .. }));
        assert_eq!(LessonId::parse("").unwrap_err().field(), "lesson_id");
    }

    #[test]
    fn class_content_and_progress_stream_ids_use_their_categories_and_come_back() {
        let uuid = Uuid::parse_str(RAW).unwrap();
        let class = ClassId::new(uuid);
        assert_eq!(class.stream_id(), format!("class-{RAW}"));
        assert_eq!(ClassId::from_stream_id(&class.stream_id()).unwrap(), class);
        let request = ContentRequestId::new(uuid);
        assert_eq!(request.stream_id(), format!("content-{RAW}"));
        assert_eq!(
            ContentRequestId::from_stream_id(&request.stream_id()).unwrap(),
            request
        );
        let progress = ProgressId::new(uuid);
        assert_eq!(progress.stream_id(), format!("progress-{RAW}"));
        assert_eq!(
            ProgressId::from_stream_id(&progress.stream_id()).unwrap(),
            progress
        );
        assert!(ClassId::from_stream_id(&format!("content-{RAW}")).is_err());
    }

    /// UUIDv5 of the bytes of UUIDs 1 and 2 in [`ProgressId::NAMESPACE`], computed
    /// independently of this crate (SHA-1 by hand, RFC 9562 §5.5).
    const PINNED_PROGRESS_ID: &str = "e1b1367a-d103-519b-9ec8-cae653a0c0d9";

    #[test]
    fn a_progress_id_is_a_fixed_uuid_v5_of_the_student_and_the_lesson() {
        let student = UserId::new(Uuid::from_u128(1));
        let lesson = LessonId::new(Uuid::from_u128(2));
        let id = ProgressId::for_student_lesson(student, lesson);
        assert_eq!(id, ProgressId::for_student_lesson(student, lesson));
        assert_eq!(id.as_uuid().get_version_num(), 5);
        // Pinned: if this changes, every existing progress stream is lost.
        assert_eq!(id.to_string(), PINNED_PROGRESS_ID);
    }

    #[test]
    fn progress_ids_differ_by_student_by_lesson_and_by_order() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        let id = |student, lesson| {
            ProgressId::for_student_lesson(UserId::new(student), LessonId::new(lesson))
        };
        assert_ne!(id(a, b), id(b, a));
        assert_ne!(id(a, b), id(a, a));
        assert_ne!(id(a, b), id(b, b));
    }

    #[test]
    fn ids_serialize_as_plain_uuid_strings() {
        let id = UserId::parse(RAW).unwrap();
        assert_eq!(serde_json::to_value(id).unwrap(), RAW);
        assert_eq!(serde_json::from_value::<UserId>(RAW.into()).unwrap(), id);
        assert!(serde_json::from_value::<UserId>("nope".into()).is_err());
    }
}
