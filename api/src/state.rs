//! What every handler shares: the database, the command runners (and the lanes in which
//! commands on one class take turns), the token keys, the key of the idempotency
//! fingerprints, the configuration, the NATS client readiness looks at, and the live feeds'
//! hub.

use std::sync::Arc;

use axum::extract::FromRef;
use commands::CommandRunner;
use domain::{Class, ContentRequest, Lesson, Progress, SignInRecord, User};
use eventstore::EventStore;
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};
use sqlx::PgPool;

use crate::ApiConfig;
use crate::auth::token::{TokenError, TokenKeys};
use crate::classes::lanes::ClassLanes;
use crate::live::hub::LiveHub;

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
    pub users: Arc<CommandRunner<User>>,
    pub classes: Arc<CommandRunner<Class>>,
    /// Commands on one class take turns in this process ([`ClassLanes`]).
    pub class_lanes: Arc<ClassLanes>,
    pub content_requests: Arc<CommandRunner<ContentRequest>>,
    pub progress: Arc<CommandRunner<Progress>>,
    /// Records sign-ins and refused refreshes for auditors (`crate::auth`).
    pub sign_ins: Arc<CommandRunner<SignInRecord>>,
    pub tokens: Arc<TokenKeys>,
    /// Keys the request fingerprints of `Idempotency-Key` ([`crate::idempotency`]).
    pub fingerprint_key: [u8; 32],
    pub config: Arc<ApiConfig>,
    pub nats: Option<async_nats::Client>,
    /// The live feeds' tail of the log, rings and caps ([`crate::live`]).
    pub live: Arc<LiveHub>,
}

impl AppState {
    pub fn new(config: ApiConfig, deps: Deps) -> Result<Self, TokenError> {
        let tokens = TokenKeys::from_secret(
            config.jwt_secret.expose_secret().as_bytes(),
            config.access_token_ttl(),
            config.refresh_token_ttl(),
        )?;
        let live = LiveHub::new(
            deps.store.pool().clone(),
            Some(deps.store.local_head()),
            &config,
        );
        Ok(Self {
            live: Arc::new(live),
            pool: deps.store.pool().clone(),
            lessons: Arc::new(CommandRunner::new(deps.store.clone())),
            users: Arc::new(CommandRunner::new(deps.store.clone())),
            classes: Arc::new(CommandRunner::new(deps.store.clone())),
            class_lanes: Arc::new(ClassLanes::default()),
            content_requests: Arc::new(CommandRunner::new(deps.store.clone())),
            progress: Arc::new(CommandRunner::new(deps.store.clone())),
            sign_ins: Arc::new(CommandRunner::new(deps.store)),
            tokens: Arc::new(tokens),
            fingerprint_key: fingerprint_key(config.jwt_secret.expose_secret()),
            config: Arc::new(config),
            nats: deps.nats,
        })
    }
}

/// Derived from the JWT secret, which every API process shares: a fingerprint must come out
/// the same in all of them. Rotating the secret makes a key's earlier fingerprint differ,
/// so a retry across a rotation is refused as a reused key (422) rather than replayed.
fn fingerprint_key(jwt_secret: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"lectern idempotency fingerprint\0");
    hasher.update(jwt_secret.as_bytes());
    hasher.finalize().into()
}

impl FromRef<AppState> for Arc<TokenKeys> {
    fn from_ref(state: &AppState) -> Self {
        state.tokens.clone()
    }
}
