//! The students' progress read model: lessons started from classes, progress recorded,
//! lessons completed, all through the command runners, then projected.

use domain::{ProgressStatus, Role};
use projections::rebuild;
use projections::student_progress::{
    self, ClassProgressFilter, ProgressRow, StudentProgress, StudentProgressFilter,
};
use uuid::Uuid;

use crate::school::{NewClass, School, advance, advance_in_steps, apply_again, table_rows};
use crate::{World, world};

/// Two classes sharing a lesson, three students and two lessons.
struct Classroom {
    classes: [Uuid; 2],
    students: Vec<Uuid>,
    lessons: [Uuid; 2],
}

/// Students 0 and 1 in the first class, student 2 in the second; both lessons assigned to
/// the first class, the first lesson to the second. Student 0 completes the first lesson
/// (40 %, then 70 %, then done: 10 + 5 + 50 XP) and starts the second; student 1 records
/// 20 % of the first; student 2 starts the first from the second class.
async fn some_progress(school: &School) -> anyhow::Result<Classroom> {
    let teacher = school.register(Role::Teacher).await?;
    let students = school.register_many(Role::Student, 3).await?;
    let lessons = [
        school.published_lesson("Science", 7).await?,
        school.published_lesson("Science", 7).await?,
    ];
    let mut classes = [Uuid::nil(); 2];
    for class in &mut classes {
        *class = school
            .create_class(
                teacher,
                NewClass {
                    subject: "Science",
                    grade_level: 7,
                    max_students: 10,
                },
            )
            .await?;
    }
    school.enroll(classes[0], students[0]).await?;
    school.enroll(classes[0], students[1]).await?;
    school.enroll(classes[1], students[2]).await?;
    school.assign(classes[0], lessons[0]).await?;
    school.assign(classes[0], lessons[1]).await?;
    school.assign(classes[1], lessons[0]).await?;

    let done = school.start(classes[0], students[0], lessons[0]).await?;
    school.record(done, 40, 10).await?;
    school.record(done, 70, 5).await?;
    school.complete(done, 50).await?;
    school.start(classes[0], students[0], lessons[1]).await?;
    let halfway = school.start(classes[0], students[1], lessons[0]).await?;
    school.record(halfway, 20, 0).await?;
    school.start(classes[1], students[2], lessons[0]).await?;
    Ok(Classroom {
        classes,
        students,
        lessons,
    })
}

async fn progress(world: &World, student: Uuid, lesson: Uuid) -> anyhow::Result<ProgressRow> {
    student_progress::get(&world.db.pool, student, lesson)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no progress of {student} in {lesson}"))
}

#[tokio::test]
async fn progress_shows_completion_xp_and_when_it_was_completed() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    let Classroom {
        classes,
        students,
        lessons,
    } = some_progress(&school).await?;
    advance(&world, &StudentProgress).await?;

    let done = progress(&world, students[0], lessons[0]).await?;
    assert_eq!(
        (done.completion, done.total_xp, done.status.as_str()),
        (100, 65, "completed")
    );
    assert_eq!((done.class_id, done.version), (classes[0], 4));
    let completed_at = done.completed_at.expect("completed");
    assert_eq!(done.last_activity_at, completed_at);
    assert!(completed_at > done.started_at);

    let started = progress(&world, students[0], lessons[1]).await?;
    assert_eq!(
        (
            started.completion,
            started.total_xp,
            started.status.as_str()
        ),
        (0, 0, "in_progress")
    );
    assert_eq!(
        (started.completed_at, started.last_activity_at),
        (None, started.started_at)
    );

    let halfway = progress(&world, students[1], lessons[0]).await?;
    assert_eq!(
        (
            halfway.completion,
            halfway.total_xp,
            halfway.status.as_str()
        ),
        (20, 0, "in_progress")
    );
    assert!(halfway.last_activity_at > halfway.started_at);

    let elsewhere = progress(&world, students[2], lessons[0]).await?;
    assert_eq!(elsewhere.class_id, classes[1]);
    assert!(
        student_progress::get(&world.db.pool, students[1], lessons[1])
            .await?
            .is_none(),
        "never started"
    );
    Ok(())
}

#[tokio::test]
async fn progress_queries_list_a_students_lessons_and_a_classs_students() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    let Classroom {
        classes,
        students,
        lessons,
    } = some_progress(&school).await?;
    advance(&world, &StudentProgress).await?;
    let pool = &world.db.pool;
    let of_student = async |student: Uuid, filter: StudentProgressFilter| {
        anyhow::Ok(
            student_progress::for_student(pool, student, &filter)
                .await?
                .progress
                .into_iter()
                .map(|p| (p.student_id, p.lesson_id))
                .collect::<Vec<_>>(),
        )
    };
    let of_class = async |class: Uuid, filter: ClassProgressFilter| {
        anyhow::Ok(
            student_progress::for_class(pool, class, &filter)
                .await?
                .progress
                .into_iter()
                .map(|p| (p.student_id, p.lesson_id))
                .collect::<Vec<_>>(),
        )
    };
    let sorted = |mut pairs: Vec<(Uuid, Uuid)>| {
        pairs.sort();
        pairs
    };
    let all = StudentProgressFilter {
        limit: 50,
        ..Default::default()
    };

    let sams = of_student(students[0], all.clone()).await?;
    assert_eq!(
        sorted(sams),
        [(students[0], lessons[0]), (students[0], lessons[1])]
    );
    let one_lesson = StudentProgressFilter {
        lesson_id: Some(lessons[1]),
        ..all.clone()
    };
    assert_eq!(
        of_student(students[0], one_lesson).await?,
        [(students[0], lessons[1])]
    );
    let completed = StudentProgressFilter {
        status: Some(ProgressStatus::Completed),
        ..all.clone()
    };
    assert_eq!(
        of_student(students[0], completed).await?,
        [(students[0], lessons[0])]
    );
    let other_class = StudentProgressFilter {
        class_id: Some(classes[1]),
        ..all.clone()
    };
    assert!(of_student(students[0], other_class).await?.is_empty());

    let everyone = ClassProgressFilter {
        limit: 50,
        ..Default::default()
    };
    let first_class = of_class(classes[0], everyone.clone()).await?;
    assert_eq!(
        sorted(first_class),
        sorted(vec![
            (students[0], lessons[0]),
            (students[0], lessons[1]),
            (students[1], lessons[0]),
        ])
    );
    let first_lesson = ClassProgressFilter {
        lesson_id: Some(lessons[0]),
        ..everyone.clone()
    };
    assert_eq!(
        sorted(of_class(classes[0], first_lesson).await?),
        sorted(vec![(students[0], lessons[0]), (students[1], lessons[0])])
    );
    let one_student = ClassProgressFilter {
        student_id: Some(students[1]),
        status: Some(ProgressStatus::InProgress),
        ..everyone.clone()
    };
    assert_eq!(
        of_class(classes[0], one_student).await?,
        [(students[1], lessons[0])]
    );
    assert_eq!(
        of_class(classes[1], everyone.clone()).await?,
        [(students[2], lessons[0])]
    );

    let page_one = student_progress::for_class(
        pool,
        classes[0],
        &ClassProgressFilter {
            limit: 2,
            ..Default::default()
        },
    )
    .await?;
    let page_two = student_progress::for_class(
        pool,
        classes[0],
        &ClassProgressFilter {
            limit: 2,
            after: page_one.next,
            ..Default::default()
        },
    )
    .await?;
    assert_eq!((page_one.progress.len(), page_two.progress.len()), (2, 1));
    assert_eq!(page_two.next, None);
    let ids: Vec<Uuid> = page_one
        .progress
        .iter()
        .chain(&page_two.progress)
        .map(|p| p.progress_id)
        .collect();
    assert!(ids.is_sorted(), "paged by progress id");
    Ok(())
}

#[tokio::test]
async fn applying_a_batch_again_changes_no_progress() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    some_progress(&school).await?;
    advance(&world, &StudentProgress).await?;
    let before = table_rows(&world.db.pool, "student_progress", "progress_id").await?;
    apply_again(&world, &StudentProgress).await?;
    assert_eq!(
        table_rows(&world.db.pool, "student_progress", "progress_id").await?,
        before
    );
    Ok(())
}

#[tokio::test]
async fn a_rebuild_yields_the_same_rows_as_the_live_run() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    let Classroom {
        students, lessons, ..
    } = some_progress(&school).await?;
    let head = advance_in_steps(&world, &StudentProgress, 2).await?;
    let live = table_rows(&world.db.pool, "student_progress", "progress_id").await?;
    assert_eq!(live.len(), 4);

    let rebuilt = rebuild(&world.db.pool, &StudentProgress, |_, _| {}).await?;
    assert_eq!(rebuilt.position, head);
    assert_eq!(
        table_rows(&world.db.pool, "student_progress", "progress_id").await?,
        live
    );
    // The swapped-in table keeps working live.
    let halfway = progress(&world, students[1], lessons[0]).await?.progress_id;
    school.record(halfway, 90, 30).await?;
    advance(&world, &StudentProgress).await?;
    let row = progress(&world, students[1], lessons[0]).await?;
    assert_eq!((row.completion, row.total_xp), (90, 30));
    Ok(())
}
