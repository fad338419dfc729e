//! `web.sessions`: a signed-in browser is a row keyed by the SHA-256 of its cookie's token.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

/// A session as stored.
#[derive(Debug, Clone)]
pub struct StoredSession {
    pub session_id: Uuid,
    pub user_id: Uuid,
    pub csrf_token: String,
}

/// 256 random bits, hex: a cookie's token or a CSRF token.
pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Open a session for `user_id` until `expires_at`; the token goes in the cookie.
pub async fn open(
    pool: &PgPool,
    user_id: Uuid,
    expires_at: DateTime<Utc>,
) -> Result<(String, StoredSession), sqlx::Error> {
    let token = random_token();
    let session = StoredSession {
        session_id: Uuid::now_v7(),
        user_id,
        csrf_token: random_token(),
    };
    sqlx::query!(
        "INSERT INTO web.sessions (token_hash, session_id, user_id, csrf_token, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
        hash(&token),
        session.session_id,
        session.user_id,
        session.csrf_token,
        expires_at,
    )
    .execute(pool)
    .await?;
    Ok((token, session))
}

/// The unexpired session of `token`.
pub async fn find(pool: &PgPool, token: &str) -> Result<Option<StoredSession>, sqlx::Error> {
    sqlx::query_as!(
        StoredSession,
        "SELECT session_id, user_id, csrf_token FROM web.sessions
          WHERE token_hash = $1 AND expires_at > now()",
        hash(token),
    )
    .fetch_optional(pool)
    .await
}

/// Sign out: the session of `token` is gone.
pub async fn close(pool: &PgPool, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "DELETE FROM web.sessions WHERE token_hash = $1",
        hash(token)
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Every session of `user_id` is gone (its account was deactivated), and expired ones.
pub async fn close_all_of(pool: &PgPool, user_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "DELETE FROM web.sessions WHERE user_id = $1 OR expires_at <= now()",
        user_id
    )
    .execute(pool)
    .await?;
    Ok(())
}
