//! The lesson funnel: starts, completions, average completion and XP per lesson, and per
//! subject and grade.

use projections::analytics::lesson_funnel::{
    self, LessonFunnel, LessonFunnelFilter, LessonFunnelRow, SubjectGradeFunnelRow,
};
use projections::rebuild;

use super::{Activity, all_rows, some_activity};
use crate::school::{School, advance, advance_in_steps};
use crate::world;

const TABLES: [(&str, &str); 2] = [
    ("lesson_funnel", "lesson_id"),
    ("lesson_funnel_progress", "progress_id"),
];

fn close(actual: Option<f64>, expected: f64) -> bool {
    actual.is_some_and(|a| (a - expected).abs() < 1e-9)
}

#[tokio::test]
async fn the_funnel_counts_starts_completions_and_averages_per_lesson_and_subject()
-> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    let Activity { lessons, .. } = some_activity(&school).await?;
    advance(&world, &LessonFunnel).await?;
    let pool = &world.db.pool;
    let all = LessonFunnelFilter {
        limit: 50,
        ..Default::default()
    };

    let rows = lesson_funnel::lessons(pool, &all).await?;
    let row = |id| -> &LessonFunnelRow {
        rows.iter()
            .find(|r| r.lesson_id == id)
            .expect("a row per lesson")
    };
    assert_eq!(rows.len(), 4);
    let first = row(lessons[0]);
    assert_eq!(
        (
            first.subject.as_str(),
            first.grade_level,
            first.started,
            first.completed
        ),
        ("Science", 7, 3, 1)
    );
    assert!(close(first.average_completion, 40.0), "(100 + 20 + 0) / 3");
    assert!(close(first.average_xp, 65.0 / 3.0), "(65 + 0 + 0) / 3");
    let second = row(lessons[1]);
    assert_eq!((second.started, second.completed), (1, 0));
    assert!(close(second.average_completion, 50.0) && close(second.average_xp, 20.0));
    let art = row(lessons[2]);
    assert_eq!(
        (art.subject.as_str(), art.started, art.completed),
        ("Art", 1, 1)
    );
    assert!(close(art.average_completion, 100.0) && close(art.average_xp, 30.0));
    let draft = row(lessons[3]);
    assert_eq!(
        (draft.subject.as_str(), draft.grade_level, draft.started),
        ("Geography", 5, 0),
        "revised subject, grade kept"
    );
    assert_eq!((draft.average_completion, draft.average_xp), (None, None));

    let science = LessonFunnelFilter {
        subject: Some("Science".into()),
        grade_level: Some(7),
        ..all.clone()
    };
    let mut ids: Vec<_> = lesson_funnel::lessons(pool, &science)
        .await?
        .into_iter()
        .map(|r| r.lesson_id)
        .collect();
    ids.sort();
    let mut expected = vec![lessons[0], lessons[1]];
    expected.sort();
    assert_eq!(ids, expected);

    let rolled = lesson_funnel::by_subject_grade(pool, &all).await?;
    let summary: Vec<_> = rolled
        .iter()
        .map(|r| {
            (
                r.subject.as_str(),
                r.grade_level,
                r.lessons,
                r.started,
                r.completed,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("Art", 3, 1, 1, 1),
            ("Geography", 5, 1, 0, 0),
            ("Science", 7, 2, 4, 1)
        ]
    );
    let science: &SubjectGradeFunnelRow = &rolled[2];
    assert!(
        close(science.average_completion, 170.0 / 4.0),
        "(120 + 50) / 4"
    );
    assert!(close(science.average_xp, 85.0 / 4.0));
    let only_art = LessonFunnelFilter {
        grade_level: Some(3),
        ..all
    };
    assert_eq!(
        lesson_funnel::by_subject_grade(pool, &only_art).await?,
        [rolled[0].clone()]
    );
    Ok(())
}

#[tokio::test]
async fn a_rebuild_yields_the_same_rows_as_the_live_run() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    some_activity(&school).await?;
    let head = advance_in_steps(&world, &LessonFunnel, 2).await?;
    let live = all_rows(&world.db.pool, &TABLES).await?;
    assert_eq!((live[0].len(), live[1].len()), (4, 5));

    let rebuilt = rebuild(&world.db.pool, &LessonFunnel, |_, _| {}).await?;
    assert_eq!(rebuilt.position, head);
    assert_eq!(all_rows(&world.db.pool, &TABLES).await?, live);
    Ok(())
}
