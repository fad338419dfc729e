//! The accounts read model: registrations and changes driven through the command runner,
//! as the API does, then projected.

use commands::{CommandError, CommandRunner};
use domain::{DisplayName, Email, PasswordHash, Role, User, UserCommand, UserId, Username};
use eventstore::Reservation;
use projections::users::{self, UserFilter, UserRow, Users};
use projections::{advance_to, rebuild};
use uuid::Uuid;

use crate::{World, ctx, world};

/// A PHC string of the argon2id shape; nothing here verifies it.
const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA";

fn accounts(world: &World) -> CommandRunner<User> {
    CommandRunner::new(world.lessons.store().clone())
}

/// Register through the store's reservations, as the API does.
async fn register(
    runner: &CommandRunner<User>,
    username: &str,
    role: Role,
) -> Result<Uuid, CommandError> {
    let id = Uuid::now_v7();
    let command = UserCommand::Register {
        user_id: UserId::new(id),
        username: Username::parse(username).expect("a valid username"),
        email: Email::parse(format!("{username}@Example.org")).expect("a valid email"),
        display_name: DisplayName::parse(format!("User {username}")).expect("a valid name"),
        password_hash: PasswordHash::parse(HASH).expect("a PHC string"),
        role,
    };
    runner
        .execute_reserving(id, &command, &ctx(), |events| {
            User::reservations(events)
                .into_iter()
                .map(|(scope, value)| Reservation::new(scope, value))
                .collect()
        })
        .await?;
    Ok(id)
}

async fn run(runner: &CommandRunner<User>, id: Uuid, command: UserCommand) -> anyhow::Result<()> {
    runner.execute(id, &command, &ctx()).await?;
    Ok(())
}

/// A family and a staff: `[student, second student, parent, teacher, admin]`, with both
/// students linked to the parent, the second student promoted to teacher, and the admin
/// deactivated.
async fn some_users(world: &World) -> anyhow::Result<[Uuid; 5]> {
    let runner = accounts(world);
    let student = register(&runner, "sam", Role::Student).await?;
    let second = register(&runner, "sue", Role::Student).await?;
    let parent = register(&runner, "pat", Role::Parent).await?;
    let teacher = register(&runner, "tess", Role::Teacher).await?;
    let admin = register(&runner, "ada", Role::Admin).await?;
    for child in [student, second] {
        let link = UserCommand::LinkParent {
            parent_id: UserId::new(parent),
        };
        run(&runner, child, link).await?;
    }
    let promote = UserCommand::ChangeRole {
        role: Role::Teacher,
    };
    run(&runner, second, promote).await?;
    let new_hash = UserCommand::ChangePassword {
        password_hash: PasswordHash::parse("$argon2id$v=19$m=19456,t=2,p=1$bmV3$bmV3aGFzaA")?,
    };
    run(&runner, teacher, new_hash).await?;
    run(&runner, admin, UserCommand::Deactivate).await?;
    Ok([student, second, parent, teacher, admin])
}

async fn advance(world: &World) -> anyhow::Result<()> {
    let head = eventstore::read::head(&world.db.pool).await?;
    assert_eq!(advance_to(&world.db.pool, &Users, head).await?, head);
    Ok(())
}

async fn user_rows(pool: &sqlx::PgPool) -> anyhow::Result<Vec<UserRow>> {
    Ok(sqlx::query_as("SELECT * FROM read.users ORDER BY user_id")
        .fetch_all(pool)
        .await?)
}

async fn row(pool: &sqlx::PgPool, id: Uuid) -> anyhow::Result<UserRow> {
    users::get(pool, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no row for user {id}"))
}

#[tokio::test]
async fn each_account_shows_as_its_last_event_left_it() -> anyhow::Result<()> {
    let world = world().await?;
    let [student, second, parent, teacher, admin] = some_users(&world).await?;
    advance(&world).await?;
    let pool = &world.db.pool;

    let sam = row(pool, student).await?;
    assert_eq!(
        (
            sam.username.as_str(),
            sam.email.as_str(),
            sam.display_name.as_str()
        ),
        ("sam", "sam@example.org", "User sam")
    );
    assert_eq!((sam.role.as_str(), sam.active), ("student", true));
    assert_eq!((sam.parent_ids, sam.version), (vec![parent], 2));

    let promoted = row(pool, second).await?;
    assert_eq!((promoted.role.as_str(), promoted.version), ("teacher", 3));
    assert_eq!(promoted.parent_ids, [parent]);

    let deactivated = row(pool, admin).await?;
    assert_eq!(
        (deactivated.role.as_str(), deactivated.active),
        ("admin", false)
    );
    assert!(deactivated.updated_at >= deactivated.created_at);

    let changed_password = row(pool, teacher).await?;
    assert_eq!(
        (changed_password.version, changed_password.active),
        (2, true)
    );

    let children: Vec<Uuid> = users::children_of(pool, parent)
        .await?
        .into_iter()
        .map(|u| u.user_id)
        .collect();
    assert_eq!(children, [student, second]);
    assert!(users::children_of(pool, teacher).await?.is_empty());
    assert!(users::get(pool, Uuid::now_v7()).await?.is_none());
    Ok(())
}

#[tokio::test]
async fn the_read_model_never_holds_a_password_hash() -> anyhow::Result<()> {
    let world = world().await?;
    some_users(&world).await?;
    advance(&world).await?;
    let columns: Vec<String> = sqlx::query_scalar(
        "SELECT column_name::text FROM information_schema.columns
          WHERE table_schema = 'read' AND table_name = 'users'",
    )
    .fetch_all(&world.db.pool)
    .await?;
    assert!(!columns.is_empty());
    assert!(
        columns
            .iter()
            .all(|c| !c.contains("password") && !c.contains("hash")),
        "{columns:?}"
    );
    let everything: Vec<String> =
        sqlx::query_scalar("SELECT row_to_json(u)::text FROM read.users u")
            .fetch_all(&world.db.pool)
            .await?;
    assert_eq!(everything.len(), 5);
    for row in everything {
        assert!(!row.contains("argon2"), "{row}");
    }
    Ok(())
}

#[tokio::test]
async fn user_queries_filter_by_role_state_and_username_and_page() -> anyhow::Result<()> {
    let world = world().await?;
    let [student, _, _, teacher, admin] = some_users(&world).await?;
    advance(&world).await?;
    let pool = &world.db.pool;
    let list = async |filter: UserFilter| -> anyhow::Result<Vec<Uuid>> {
        Ok(users::list(pool, &filter)
            .await?
            .users
            .into_iter()
            .map(|u| u.user_id)
            .collect())
    };

    let teachers = list(UserFilter {
        role: Some(Role::Teacher),
        limit: 50,
        ..Default::default()
    })
    .await?;
    assert_eq!(teachers.len(), 2, "tess, and sue since her promotion");
    assert!(teachers.contains(&teacher));
    let inactive = list(UserFilter {
        active: Some(false),
        limit: 50,
        ..Default::default()
    })
    .await?;
    assert_eq!(inactive, [admin]);
    let s_names = list(UserFilter {
        username_prefix: Some("S".into()),
        limit: 50,
        ..Default::default()
    })
    .await?;
    assert_eq!(s_names.len(), 2, "sam and sue");
    assert!(s_names.contains(&student));
    let wildcard = list(UserFilter {
        username_prefix: Some("_".into()),
        limit: 50,
        ..Default::default()
    })
    .await?;
    assert!(wildcard.is_empty(), "_ is matched literally");

    let first = users::list(
        pool,
        &UserFilter {
            limit: 2,
            ..Default::default()
        },
    )
    .await?;
    let second = users::list(
        pool,
        &UserFilter {
            limit: 2,
            after: first.next,
            ..Default::default()
        },
    )
    .await?;
    let third = users::list(
        pool,
        &UserFilter {
            limit: 2,
            after: second.next,
            ..Default::default()
        },
    )
    .await?;
    assert_eq!(
        (first.users.len(), second.users.len(), third.users.len()),
        (2, 2, 1)
    );
    assert_eq!(third.next, None);
    let paged: Vec<Uuid> = [first, second, third]
        .into_iter()
        .flat_map(|page| page.users)
        .map(|u| u.user_id)
        .collect();
    assert_eq!(
        paged,
        user_rows(pool)
            .await?
            .iter()
            .map(|u| u.user_id)
            .collect::<Vec<_>>()
    );

    let by_name = users::by_username(pool, "tess").await?.map(|u| u.user_id);
    assert_eq!(by_name, Some(teacher));
    let by_email = users::by_email(pool, " Tess@Example.ORG ")
        .await?
        .map(|u| u.user_id);
    assert_eq!(by_email, Some(teacher));
    assert!(users::by_username(pool, "nobody").await?.is_none());
    Ok(())
}

#[tokio::test]
async fn a_taken_username_or_email_is_refused_and_projects_nothing() -> anyhow::Result<()> {
    let world = world().await?;
    let runner = accounts(&world);
    register(&runner, "sam", Role::Student).await?;
    let again = register(&runner, "sam", Role::Teacher).await;
    assert!(
        matches!(again, Err(CommandError::Taken { ref scope, ref value }) if scope == "username" && value == "sam"),
        "{again:?}"
    );
    advance(&world).await?;
    assert_eq!(user_rows(&world.db.pool).await?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn a_rebuild_yields_the_same_rows_as_the_live_run() -> anyhow::Result<()> {
    let world = world().await?;
    some_users(&world).await?;
    // Live: advanced in small steps, as a live worker does batch by batch.
    let head = eventstore::read::head(&world.db.pool).await?;
    for until in (1..=head).step_by(3).chain([head]) {
        advance_to(&world.db.pool, &Users, until).await?;
    }
    let live = user_rows(&world.db.pool).await?;
    assert_eq!(live.len(), 5);

    let rebuilt = rebuild(&world.db.pool, &Users, |_, _| {}).await?;
    assert_eq!(rebuilt.position, head);
    assert_eq!(user_rows(&world.db.pool).await?, live);
    // The swapped-in table keeps its indexes and keeps working for live updates.
    let runner = accounts(&world);
    register(&runner, "newcomer", Role::Analyst).await?;
    advance(&world).await?;
    assert_eq!(user_rows(&world.db.pool).await?.len(), 6);
    let indexes: Vec<String> = sqlx::query_scalar(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = 'read' AND tablename = 'users'",
    )
    .fetch_all(&world.db.pool)
    .await?;
    assert!(
        indexes
            .iter()
            .any(|i| i.contains("UNIQUE") && i.contains("(username)")),
        "{indexes:?}"
    );
    Ok(())
}
