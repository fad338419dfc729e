//! The classes and rosters read model: classes created, students enrolled and unenrolled,
//! lessons assigned, classes archived, all through the command runners, then projected.

use domain::{ClassStatus, Role};
use projections::classes::{self, ClassFilter, Classes, RosterFilter};
use projections::rebuild;
use uuid::Uuid;

use crate::school::{NewClass, School, advance, advance_in_steps, apply_again, table_rows};
use crate::{World, world};

const SCIENCE_7: NewClass<'static> = NewClass {
    subject: "Science",
    grade_level: 7,
    max_students: 3,
};

async fn class(world: &World, id: Uuid) -> anyhow::Result<classes::ClassRow> {
    classes::get(&world.db.pool, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no row for class {id}"))
}

async fn roster(world: &World, id: Uuid) -> anyhow::Result<Vec<Uuid>> {
    let filter = RosterFilter {
        limit: 500,
        ..Default::default()
    };
    Ok(classes::roster(&world.db.pool, id, &filter)
        .await?
        .members
        .into_iter()
        .map(|m| m.student_id)
        .collect())
}

/// Two teachers' classes, with students coming and going and lessons assigned: returns
/// the classes, `[science 7 (3 seats), history 7, science 8, art 5 (archived)]`.
async fn some_classes(school: &School) -> anyhow::Result<[Uuid; 4]> {
    let [tess, tom] = <[Uuid; 2]>::try_from(school.register_many(Role::Teacher, 2).await?)
        .map_err(|_| anyhow::anyhow!("two teachers"))?;
    let students = school.register_many(Role::Student, 5).await?;
    let lessons = [
        school.published_lesson("Science", 7).await?,
        school.published_lesson("Science", 7).await?,
    ];
    let science = school.create_class(tess, SCIENCE_7).await?;
    let history = school
        .create_class(
            tess,
            NewClass {
                subject: "History",
                grade_level: 7,
                max_students: 30,
            },
        )
        .await?;
    let science_8 = school
        .create_class(
            tom,
            NewClass {
                subject: "Science",
                grade_level: 8,
                max_students: 25,
            },
        )
        .await?;
    let art = school
        .create_class(
            tom,
            NewClass {
                subject: "Art",
                grade_level: 5,
                max_students: 10,
            },
        )
        .await?;
    for student in &students[..3] {
        school.enroll(science, *student).await?;
    }
    school.unenroll(science, students[1]).await?;
    for student in &students {
        school.enroll(history, *student).await?;
    }
    school.enroll(science_8, students[4]).await?;
    for lesson in lessons {
        school.assign(science, lesson).await?;
    }
    school.unassign(science, lessons[0]).await?;
    school.assign(science, lessons[0]).await?;
    school.enroll(art, students[0]).await?;
    school.archive(art).await?;
    Ok([science, history, science_8, art])
}

#[tokio::test]
async fn enrolling_and_unenrolling_moves_the_seats_and_the_roster() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    let teacher = school.register(Role::Teacher).await?;
    let students = school.register_many(Role::Student, 3).await?;
    let science = school.create_class(teacher, SCIENCE_7).await?;
    advance(&world, &Classes).await?;
    let created = class(&world, science).await?;
    assert_eq!(
        (
            created.student_count,
            created.seats_left,
            created.max_students
        ),
        (0, 3, 3)
    );
    assert_eq!(
        (created.status.as_str(), created.teacher_id, created.version),
        ("active", teacher, 1)
    );

    for student in &students {
        school.enroll(science, *student).await?;
    }
    advance(&world, &Classes).await?;
    let full = class(&world, science).await?;
    assert_eq!((full.student_count, full.seats_left), (3, 0));
    assert_eq!(roster(&world, science).await?, students);

    school.unenroll(science, students[1]).await?;
    advance(&world, &Classes).await?;
    let after = class(&world, science).await?;
    assert_eq!((after.student_count, after.seats_left), (2, 1));
    assert_eq!(
        roster(&world, science).await?,
        [students[0], students[2]],
        "the unenrolled student left the roster"
    );
    assert!(
        classes::classes_of_student(&world.db.pool, students[1])
            .await?
            .is_empty()
    );

    // Back in, in the same batch as a second unenrollment.
    school.enroll(science, students[1]).await?;
    school.unenroll(science, students[2]).await?;
    advance(&world, &Classes).await?;
    let again = class(&world, science).await?;
    assert_eq!(
        (again.student_count, again.seats_left, again.version),
        (2, 1, 7)
    );
    assert_eq!(roster(&world, science).await?, [students[0], students[1]]);
    let members = classes::roster(
        &world.db.pool,
        science,
        &RosterFilter {
            limit: 10,
            ..Default::default()
        },
    )
    .await?
    .members;
    assert!(
        members[1].enrolled_at > members[0].enrolled_at,
        "re-enrolled later"
    );
    let of_student: Vec<Uuid> = classes::classes_of_student(&world.db.pool, students[1])
        .await?
        .into_iter()
        .map(|c| c.class_id)
        .collect();
    assert_eq!(of_student, [science]);
    Ok(())
}

#[tokio::test]
async fn assigned_lessons_and_archiving_show_on_the_class() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    let [science, _, _, art] = some_classes(&school).await?;
    advance(&world, &Classes).await?;
    let science = class(&world, science).await?;
    assert_eq!(science.lesson_ids.len(), 2);
    let (first, second) = (science.lesson_ids[0], science.lesson_ids[1]);
    assert!(
        first > second,
        "unassigned and assigned again: last in order"
    );
    assert_eq!(science.status, "active");
    let art = class(&world, art).await?;
    assert_eq!((art.status.as_str(), art.student_count), ("archived", 1));
    assert!(art.updated_at > art.created_at);
    assert!(
        classes::get(&world.db.pool, Uuid::now_v7())
            .await?
            .is_none()
    );
    Ok(())
}

#[tokio::test]
async fn class_queries_filter_by_teacher_subject_grade_and_status_and_page() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    let [science, history, science_8, art] = some_classes(&school).await?;
    advance(&world, &Classes).await?;
    let pool = &world.db.pool;
    let list = async |filter: ClassFilter| -> anyhow::Result<Vec<Uuid>> {
        Ok(classes::list(pool, &filter)
            .await?
            .classes
            .into_iter()
            .map(|c| c.class_id)
            .collect())
    };
    let tess = class(&world, science).await?.teacher_id;
    let by_teacher = list(ClassFilter {
        teacher_id: Some(tess),
        limit: 50,
        ..Default::default()
    })
    .await?;
    assert_eq!(by_teacher, [science, history]);
    let by_subject = list(ClassFilter {
        subject: Some("Science".into()),
        limit: 50,
        ..Default::default()
    })
    .await?;
    assert_eq!(by_subject, [science, science_8]);
    let by_grade = list(ClassFilter {
        grade_level: Some(7),
        limit: 50,
        ..Default::default()
    })
    .await?;
    assert_eq!(by_grade, [science, history]);
    let combined = list(ClassFilter {
        subject: Some("Science".into()),
        grade_level: Some(8),
        status: Some(ClassStatus::Active),
        limit: 50,
        ..Default::default()
    })
    .await?;
    assert_eq!(combined, [science_8]);
    let archived = list(ClassFilter {
        status: Some(ClassStatus::Archived),
        limit: 50,
        ..Default::default()
    })
    .await?;
    assert_eq!(archived, [art]);

    let mut paged = Vec::new();
    let mut after = None;
    loop {
        let page = classes::list(
            pool,
            &ClassFilter {
                after,
                limit: 3,
                ..Default::default()
            },
        )
        .await?;
        paged.extend(page.classes.iter().map(|c| c.class_id));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(paged, [science, history, science_8, art]);

    let first = classes::roster(
        pool,
        history,
        &RosterFilter {
            limit: 2,
            ..Default::default()
        },
    )
    .await?;
    let rest = classes::roster(
        pool,
        history,
        &RosterFilter {
            limit: 10,
            after: first.next,
        },
    )
    .await?;
    assert_eq!((first.members.len(), rest.members.len()), (2, 3));
    assert_eq!(rest.next, None);
    assert!(first.members[1].student_id < rest.members[0].student_id);
    Ok(())
}

#[tokio::test]
async fn applying_a_batch_again_changes_neither_classes_nor_rosters() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    some_classes(&school).await?;
    advance(&world, &Classes).await?;
    let classes_before = table_rows(&world.db.pool, "classes", "class_id").await?;
    let members_before =
        table_rows(&world.db.pool, "class_members", "class_id, student_id").await?;
    apply_again(&world, &Classes).await?;
    assert_eq!(
        table_rows(&world.db.pool, "classes", "class_id").await?,
        classes_before
    );
    assert_eq!(
        table_rows(&world.db.pool, "class_members", "class_id, student_id").await?,
        members_before
    );
    Ok(())
}

#[tokio::test]
async fn a_rebuild_yields_the_same_rows_as_the_live_run() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    let [science, ..] = some_classes(&school).await?;
    let head = advance_in_steps(&world, &Classes, 2).await?;
    let live_classes = table_rows(&world.db.pool, "classes", "class_id").await?;
    let live_members = table_rows(&world.db.pool, "class_members", "class_id, student_id").await?;
    assert_eq!((live_classes.len(), live_members.len()), (4, 9));

    let rebuilt = rebuild(&world.db.pool, &Classes, |_, _| {}).await?;
    assert_eq!(rebuilt.position, head);
    assert_eq!(
        table_rows(&world.db.pool, "classes", "class_id").await?,
        live_classes
    );
    assert_eq!(
        table_rows(&world.db.pool, "class_members", "class_id, student_id").await?,
        live_members
    );
    // The swapped-in tables keep their generated column and keep working live.
    let newcomer = school.register(Role::Student).await?;
    school.enroll(science, newcomer).await?;
    advance(&world, &Classes).await?;
    let science = class(&world, science).await?;
    assert_eq!((science.student_count, science.seats_left), (3, 0));
    assert_eq!(roster(&world, science.class_id).await?.len(), 3);
    Ok(())
}
