use super::{Lesson, LessonCommand, LessonDetails, LessonEvent, LessonRejection, LessonStatus};
use crate::values::{Description, GradeLevel, LessonContent, Subject, Title};

pub(super) fn decide(
    lesson: &Lesson,
    command: &LessonCommand,
) -> Result<Vec<LessonEvent>, LessonRejection> {
    let status = lesson.status();
    let event = match command {
        LessonCommand::Draft {
            lesson_id,
            title,
            description,
            subject,
            grade_level,
            content,
            author,
        } => {
            require(!lesson.exists(), LessonRejection::AlreadyExists)?;
            LessonEvent::LessonDrafted {
                lesson_id: *lesson_id,
                title: title.clone(),
                description: description.clone(),
                subject: subject.clone(),
                grade_level: *grade_level,
                content: content.clone(),
                author: *author,
            }
        }
        LessonCommand::Revise {
            title,
            description,
            subject,
            grade_level,
            content,
        } => {
            let current = existing(lesson)?;
            require(
                status == LessonStatus::Draft,
                LessonRejection::NotInDraft { status },
            )?;
            revised(current, title, description, subject, grade_level, content)?
        }
        LessonCommand::SubmitForReview => {
            existing(lesson)?;
            require(
                status == LessonStatus::Draft,
                LessonRejection::NotInDraft { status },
            )?;
            LessonEvent::LessonSubmittedForReview
        }
        LessonCommand::Approve { reviewer } => {
            existing(lesson)?;
            require(
                status == LessonStatus::InReview,
                LessonRejection::NotInReview { status },
            )?;
            LessonEvent::LessonApproved {
                reviewer: *reviewer,
            }
        }
        LessonCommand::Publish => {
            existing(lesson)?;
            require(
                status == LessonStatus::Approved,
                LessonRejection::NotApproved { status },
            )?;
            LessonEvent::LessonPublished
        }
        LessonCommand::Archive { reason } => {
            existing(lesson)?;
            require(
                status != LessonStatus::Archived,
                LessonRejection::AlreadyArchived,
            )?;
            LessonEvent::LessonArchived {
                reason: reason.clone(),
            }
        }
        LessonCommand::AttachGeneratedContent {
            content_request_id,
            content,
        } => {
            existing(lesson)?;
            require(
                status.is_editable(),
                LessonRejection::NotEditable { status },
            )?;
            LessonEvent::GeneratedContentAttached {
                content_request_id: *content_request_id,
                content: content.clone(),
            }
        }
    };
    Ok(vec![event])
}

/// Every command but a draft needs a lesson to act on; checking that first keeps an
/// undrafted lesson from being reported as merely "not in draft".
fn existing(lesson: &Lesson) -> Result<&LessonDetails, LessonRejection> {
    lesson.details().ok_or(LessonRejection::NotFound)
}

fn require(rule_holds: bool, otherwise: LessonRejection) -> Result<(), LessonRejection> {
    if rule_holds { Ok(()) } else { Err(otherwise) }
}

/// A revision records only what it changes, so the log says what an editor actually did.
fn revised(
    current: &LessonDetails,
    title: &Option<Title>,
    description: &Option<Description>,
    subject: &Option<Subject>,
    grade_level: &Option<GradeLevel>,
    content: &Option<LessonContent>,
) -> Result<LessonEvent, LessonRejection> {
    let title = changed(title, &current.title);
    let description = changed(description, &current.description);
    let subject = changed(subject, &current.subject);
    let grade_level = changed(grade_level, &current.grade_level);
    let content = changed(content, &current.content);
    let nothing_changed = title.is_none()
        && description.is_none()
        && subject.is_none()
        && grade_level.is_none()
        && content.is_none();
    require(!nothing_changed, LessonRejection::NothingToRevise)?;
    Ok(LessonEvent::LessonRevised {
        title,
        description,
        subject,
        grade_level,
        content,
    })
}

fn changed<T: PartialEq + Clone>(proposed: &Option<T>, current: &T) -> Option<T> {
    proposed.as_ref().filter(|value| *value != current).cloned()
}
