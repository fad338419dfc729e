//! The class dashboard: students, average completion, XP and last activity per class.

use projections::analytics::class_dashboard::{self, ClassDashboard, ClassDashboardFilter};
use projections::rebuild;
use projections::student_progress::{self, StudentProgress};

use super::{Activity, all_rows, some_activity};
use crate::school::{School, advance, advance_in_steps};
use crate::world;

const TABLES: [(&str, &str); 2] = [
    ("class_dashboard", "class_id"),
    ("class_dashboard_progress", "progress_id"),
];

#[tokio::test]
async fn the_dashboard_shows_students_completion_xp_and_last_activity() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    let Activity {
        teacher,
        classes,
        students,
        lessons,
        ..
    } = some_activity(&school).await?;
    advance(&world, &ClassDashboard).await?;
    advance(&world, &StudentProgress).await?;
    let pool = &world.db.pool;
    let all = ClassDashboardFilter {
        limit: 50,
        ..Default::default()
    };

    let rows = class_dashboard::list(pool, &all).await?;
    let figures: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.class_id,
                r.subject.as_str(),
                r.grade_level,
                r.teacher_id,
                r.students,
                r.started,
                r.total_xp,
            )
        })
        .collect();
    assert_eq!(
        figures,
        [
            (classes[0], "Science", 7, teacher, 2, 3, 85),
            (classes[1], "Art", 3, teacher, 1, 2, 30),
        ]
    );
    let average = |i: usize| rows[i].average_completion.expect("started");
    assert!(
        (average(0) - 170.0 / 3.0).abs() < 1e-9,
        "(100 + 50 + 20) / 3"
    );
    assert!((average(1) - 50.0).abs() < 1e-9, "(0 + 100) / 2");
    // The last progress event of each class: student 1's record, student 2's completion.
    let last = |student, lesson| async move {
        anyhow::Ok(
            student_progress::get(pool, student, lesson)
                .await?
                .map(|p| p.last_activity_at),
        )
    };
    assert_eq!(
        rows[0].last_activity_at,
        last(students[1], lessons[0]).await?
    );
    assert_eq!(
        rows[1].last_activity_at,
        last(students[2], lessons[2]).await?
    );

    let art = ClassDashboardFilter {
        subject: Some("Art".into()),
        grade_level: Some(3),
        teacher_id: Some(teacher),
        ..all.clone()
    };
    assert_eq!(class_dashboard::list(pool, &art).await?, [rows[1].clone()]);
    let one = ClassDashboardFilter {
        class_id: Some(classes[0]),
        ..all.clone()
    };
    assert_eq!(class_dashboard::list(pool, &one).await?, [rows[0].clone()]);
    let after_first = ClassDashboardFilter {
        after: Some(classes[0]),
        ..all
    };
    assert_eq!(
        class_dashboard::list(pool, &after_first).await?,
        [rows[1].clone()]
    );
    Ok(())
}

#[tokio::test]
async fn a_rebuild_yields_the_same_rows_as_the_live_run() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    some_activity(&school).await?;
    let head = advance_in_steps(&world, &ClassDashboard, 2).await?;
    let live = all_rows(&world.db.pool, &TABLES).await?;
    assert_eq!((live[0].len(), live[1].len()), (2, 5));

    let rebuilt = rebuild(&world.db.pool, &ClassDashboard, |_, _| {}).await?;
    assert_eq!(rebuilt.position, head);
    assert_eq!(all_rows(&world.db.pool, &TABLES).await?, live);
    Ok(())
}
