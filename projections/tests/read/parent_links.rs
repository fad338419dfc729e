//! The parent links read model: parents linked to students through the command runner,
//! then projected.

use domain::Role;
use projections::parent_links::{self, ParentLinks};
use projections::rebuild;
use uuid::Uuid;

use crate::school::{School, advance, advance_in_steps, apply_again, table_rows};
use crate::world;

/// Two parents and four students: the first parent linked to students 0 and 1, the second
/// to students 1 and 2, student 3 to nobody. Returns `(parents, students)`.
async fn some_families(school: &School) -> anyhow::Result<(Vec<Uuid>, Vec<Uuid>)> {
    let parents = school.register_many(Role::Parent, 2).await?;
    let students = school.register_many(Role::Student, 4).await?;
    for (student, parent) in [(0, 0), (1, 0), (1, 1), (2, 1)] {
        school
            .link_parent(students[student], parents[parent])
            .await?;
    }
    Ok((parents, students))
}

#[tokio::test]
async fn links_answer_a_parents_children_a_students_parents_and_whether_linked()
-> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    let (parents, students) = some_families(&school).await?;
    advance(&world, &ParentLinks).await?;
    let pool = &world.db.pool;

    let children: Vec<Uuid> = parent_links::children_of(pool, parents[0])
        .await?
        .into_iter()
        .map(|l| l.student_id)
        .collect();
    assert_eq!(children, [students[0], students[1]]);
    let of_second = parent_links::children_of(pool, parents[1]).await?;
    assert_eq!(
        of_second.iter().map(|l| l.student_id).collect::<Vec<_>>(),
        [students[1], students[2]]
    );
    assert!(of_second[0].linked_at < of_second[1].linked_at);
    let of_shared: Vec<Uuid> = parent_links::parents_of(pool, students[1])
        .await?
        .into_iter()
        .map(|l| l.parent_id)
        .collect();
    assert_eq!(of_shared, [parents[0], parents[1]]);
    assert!(
        parent_links::parents_of(pool, students[3])
            .await?
            .is_empty()
    );
    assert!(parent_links::is_linked(pool, parents[0], students[0]).await?);
    assert!(!parent_links::is_linked(pool, parents[0], students[2]).await?);
    assert!(
        !parent_links::is_linked(pool, students[0], parents[0]).await?,
        "the link has a direction"
    );
    assert!(
        parent_links::children_of(pool, students[0])
            .await?
            .is_empty()
    );
    Ok(())
}

#[tokio::test]
async fn applying_a_batch_again_adds_no_link() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    some_families(&school).await?;
    advance(&world, &ParentLinks).await?;
    let before = table_rows(&world.db.pool, "parent_links", "parent_id, student_id").await?;
    assert_eq!(before.len(), 4);
    apply_again(&world, &ParentLinks).await?;
    assert_eq!(
        table_rows(&world.db.pool, "parent_links", "parent_id, student_id").await?,
        before
    );
    Ok(())
}

#[tokio::test]
async fn a_rebuild_yields_the_same_rows_as_the_live_run() -> anyhow::Result<()> {
    let world = world().await?;
    let school = School::new(&world);
    let (parents, students) = some_families(&school).await?;
    let head = advance_in_steps(&world, &ParentLinks, 2).await?;
    let order = "parent_id, student_id";
    let live = table_rows(&world.db.pool, "parent_links", order).await?;
    assert_eq!(live.len(), 4);

    let rebuilt = rebuild(&world.db.pool, &ParentLinks, |_, _| {}).await?;
    assert_eq!(rebuilt.position, head);
    assert_eq!(
        table_rows(&world.db.pool, "parent_links", order).await?,
        live
    );
    // The swapped-in table keeps working live.
    school.link_parent(students[3], parents[0]).await?;
    advance(&world, &ParentLinks).await?;
    assert!(parent_links::is_linked(&world.db.pool, parents[0], students[3]).await?);
    Ok(())
}
