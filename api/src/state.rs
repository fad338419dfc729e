//! What every handler shares: the database, the command runners, the token keys, the
//! configuration, and the NATS client readiness looks at.

use std::sync::Arc;

use axum::extract::FromRef;
use commands::CommandRunner;
use domain::Lesson;
use eventstore::EventStore;
use sqlx::PgPool;

use crate::ApiConfig;
use crate::auth::{TokenError, TokenKeys};

/// What the API needs from the rest of the process.
pub struct Deps {
    /// The event store (its pool also serves the read models' queries).
    pub store: EventStore,
    /// The NATS connection, when this process has one; `/health/ready` reports on it.
    pub nats: Option<async_nats::Client>,
}

/// The state of every handler. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub lessons: Arc<CommandRunner<Lesson>>,
    pub tokens: Arc<TokenKeys>,
    pub config: Arc<ApiConfig>,
    pub nats: Option<async_nats::Client>,
}

impl AppState {
    pub fn new(config: ApiConfig, deps: Deps) -> Result<Self, TokenError> {
        let tokens = TokenKeys::from_secret(
            config.jwt_secret.as_bytes(),
            config.access_token_ttl(),
            config.refresh_token_ttl(),
        )?;
        Ok(Self {
            pool: deps.store.pool().clone(),
            lessons: Arc::new(CommandRunner::new(deps.store)),
            tokens: Arc::new(tokens),
            config: Arc::new(config),
            nats: deps.nats,
        })
    }
}

impl FromRef<AppState> for Arc<TokenKeys> {
    fn from_ref(state: &AppState) -> Self {
        state.tokens.clone()
    }
}
