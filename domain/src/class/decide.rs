use super::{Class, ClassCommand, ClassDetails, ClassEvent, ClassRejection};

pub(super) fn decide(
    class: &Class,
    command: &ClassCommand,
) -> Result<Vec<ClassEvent>, ClassRejection> {
    let event = match command {
        ClassCommand::Create {
            class_id,
            name,
            subject,
            grade_level,
            max_students,
            teacher,
        } => {
            require(!class.exists(), ClassRejection::AlreadyExists)?;
            ClassEvent::ClassCreated {
                class_id: *class_id,
                name: name.clone(),
                subject: subject.clone(),
                grade_level: *grade_level,
                max_students: *max_students,
                teacher_id: teacher.id(),
            }
        }
        ClassCommand::Enroll { student } => {
            let current = active(class)?;
            let student_id = student.id();
            require(
                !current.students.contains(&student_id),
                ClassRejection::StudentAlreadyEnrolled { student_id },
            )?;
            // The capacity rule. It holds under concurrent enrollments because the
            // count is this state's own: see the module documentation.
            require(
                current.seats_left() > 0,
                ClassRejection::Full {
                    max_students: current.max_students,
                },
            )?;
            ClassEvent::StudentEnrolled { student_id }
        }
        ClassCommand::Unenroll { student_id } => {
            let current = active(class)?;
            require(
                current.students.contains(student_id),
                ClassRejection::StudentNotEnrolled {
                    student_id: *student_id,
                },
            )?;
            ClassEvent::StudentUnenrolled {
                student_id: *student_id,
            }
        }
        ClassCommand::AssignLesson { lesson } => {
            let current = active(class)?;
            let lesson_id = lesson.id();
            require(
                !current.lessons.contains(&lesson_id),
                ClassRejection::LessonAlreadyAssigned { lesson_id },
            )?;
            ClassEvent::LessonAssigned { lesson_id }
        }
        ClassCommand::UnassignLesson { lesson_id } => {
            let current = active(class)?;
            require(
                current.lessons.contains(lesson_id),
                ClassRejection::LessonNotAssigned {
                    lesson_id: *lesson_id,
                },
            )?;
            ClassEvent::LessonUnassigned {
                lesson_id: *lesson_id,
            }
        }
        ClassCommand::Archive => {
            existing(class)?;
            require(!class.is_archived(), ClassRejection::AlreadyArchived)?;
            ClassEvent::ClassArchived
        }
    };
    Ok(vec![event])
}

/// Every command but a creation needs a class to act on; checking that first keeps an
/// uncreated class from being reported as, say, "full".
fn existing(class: &Class) -> Result<&ClassDetails, ClassRejection> {
    class.details().ok_or(ClassRejection::NotFound)
}

/// An archived class is frozen: only archiving it again is considered (and refused by
/// its own rule). Its roster and lessons stay as they were, for the record.
fn active(class: &Class) -> Result<&ClassDetails, ClassRejection> {
    let current = existing(class)?;
    require(!class.is_archived(), ClassRejection::Archived)?;
    Ok(current)
}

fn require(rule_holds: bool, otherwise: ClassRejection) -> Result<(), ClassRejection> {
    if rule_holds { Ok(()) } else { Err(otherwise) }
}
