//! Applying user events: load the rows a batch touches, fold the events into them in
//! memory, write them back with one statement. Two round trips per batch, whatever its
//! size, as for the lesson catalog.

use std::collections::HashMap;

use domain::UserEvent;
use eventstore::RecordedEvent;
use sqlx::PgConnection;
use uuid::Uuid;

use super::UserRow;
use crate::ProjectionError;
use crate::stream_rows::{StreamRow, fold_batch, stream_uuids};

pub(super) async fn apply(
    conn: &mut PgConnection,
    events: &[RecordedEvent],
) -> Result<(), ProjectionError> {
    let mut rows: HashMap<Uuid, UserRow> = sqlx::query_as!(
        UserRow,
        "SELECT user_id, username, email, display_name, role, active, parent_ids, version,
                created_at, updated_at
           FROM users WHERE user_id = ANY($1)",
        &stream_uuids(events)
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|row| (row.user_id, row))
    .collect();
    let changed = fold_batch(&mut rows, events)?;
    let changed: Vec<&UserRow> = changed.iter().filter_map(|id| rows.get(id)).collect();
    upsert(conn, &changed).await
}

impl StreamRow for UserRow {
    type Event = UserEvent;

    fn version(&self) -> i64 {
        self.version
    }

    fn fold(row: Option<Self>, event: &UserEvent, recorded: &RecordedEvent) -> Option<Self> {
        fold(row, event, recorded)
    }
}

/// The row after `event`. None when the event needs a row that does not exist (an account
/// whose registration is missing), which the log's own rules make impossible.
fn fold(row: Option<UserRow>, event: &UserEvent, recorded: &RecordedEvent) -> Option<UserRow> {
    let at = recorded.recorded_at;
    let mut row = match (row, event) {
        (
            None,
            UserEvent::UserRegistered {
                user_id,
                username,
                email,
                display_name,
                role,
                // The hash stays in the log.
                password_hash: _,
            },
        ) => {
            return Some(UserRow {
                user_id: user_id.as_uuid(),
                username: username.as_str().to_owned(),
                email: email.as_str().to_owned(),
                display_name: display_name.as_str().to_owned(),
                role: role.as_str().to_owned(),
                active: true,
                parent_ids: Vec::new(),
                version: recorded.stream_version,
                created_at: at,
                updated_at: at,
            });
        }
        (Some(row), _) => row,
        (None, _) => return None,
    };
    match event {
        UserEvent::UserRegistered { .. } | UserEvent::UserPasswordChanged { .. } => {}
        UserEvent::UserRoleChanged { role, .. } => row.role = role.as_str().to_owned(),
        UserEvent::UserDeactivated => row.active = false,
        UserEvent::UserReactivated => row.active = true,
        UserEvent::ParentLinked { parent_id } => {
            let parent_id = parent_id.as_uuid();
            if !row.parent_ids.contains(&parent_id) {
                row.parent_ids.push(parent_id);
            }
        }
    }
    row.version = recorded.stream_version;
    row.updated_at = at;
    Some(row)
}

async fn upsert(conn: &mut PgConnection, rows: &[&UserRow]) -> Result<(), ProjectionError> {
    if rows.is_empty() {
        return Ok(());
    }
    macro_rules! column {
        ($field:ident) => {
            rows.iter().map(|r| r.$field.clone()).collect::<Vec<_>>()
        };
    }
    // UNNEST cannot take an array of arrays of different lengths, so the parents travel
    // as one JSON array per row and are turned back into uuid[] in SQL.
    let parent_ids: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::Value::from(r.parent_ids.iter().map(Uuid::to_string).collect::<Vec<_>>())
        })
        .collect();
    sqlx::query!(
        "INSERT INTO users (user_id, username, email, display_name, role, active, parent_ids,
                            version, created_at, updated_at)
         SELECT u.user_id, u.username, u.email, u.display_name, u.role, u.active,
                ARRAY(SELECT p.id::uuid
                        FROM jsonb_array_elements_text(u.parent_ids) WITH ORDINALITY AS p(id, n)
                       ORDER BY p.n),
                u.version, u.created_at, u.updated_at
           FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[],
                       $6::bool[], $7::jsonb[], $8::bigint[], $9::timestamptz[],
                       $10::timestamptz[])
                AS u(user_id, username, email, display_name, role, active, parent_ids,
                     version, created_at, updated_at)
         ON CONFLICT (user_id) DO UPDATE SET
            username = EXCLUDED.username, email = EXCLUDED.email,
            display_name = EXCLUDED.display_name, role = EXCLUDED.role,
            active = EXCLUDED.active, parent_ids = EXCLUDED.parent_ids,
            version = EXCLUDED.version, updated_at = EXCLUDED.updated_at",
        &column!(user_id),
        &column!(username),
        &column!(email),
        &column!(display_name),
        &column!(role),
        &column!(active),
        &parent_ids,
        &column!(version),
        &column!(created_at),
        &column!(updated_at)
    )
    .execute(conn)
    .await?;
    Ok(())
}
