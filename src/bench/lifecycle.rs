//! The lesson lifecycle the benchmarks drive: draft, three revisions, submit, approve,
//! publish. Each command decides exactly one event.

use domain::{
    Description, GradeLevel, LessonCommand, LessonContent, LessonId, Subject, Title, UserId,
};
use uuid::Uuid;

pub const COMMANDS_PER_LESSON: usize = 7;

pub fn commands(id: Uuid, author: UserId) -> Vec<LessonCommand> {
    // Literal values within their bounds: parsing them cannot fail.
    let title = |t: &str| Title::parse(t).expect("a valid title");
    let mut commands = vec![LessonCommand::Draft {
        lesson_id: LessonId::new(id),
        title: title("Photosynthesis"),
        description: Description::parse("How plants turn light into food").expect("valid"),
        subject: Subject::parse("Science").expect("a valid subject"),
        grade_level: GradeLevel::parse(7).expect("a valid grade"),
        content: LessonContent::empty(),
        author,
    }];
    for n in 1..=3 {
        commands.push(LessonCommand::Revise {
            title: Some(title(&format!("Photosynthesis, revision {n}"))),
            description: None,
            subject: None,
            grade_level: None,
            content: None,
        });
    }
    commands.push(LessonCommand::SubmitForReview);
    commands.push(LessonCommand::Approve { reviewer: author });
    commands.push(LessonCommand::Publish);
    commands
}
