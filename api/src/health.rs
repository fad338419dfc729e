//! `/health/live` (the process answers) and `/health/ready` (its dependencies answer:
//! PostgreSQL always, NATS when this process has a connection; the relay keeps up: events
//! appended but not yet published stay under `--ready-max-relay-lag`; every read model
//! keeps up: events of its categories not yet applied stay under
//! `--ready-max-projection-lag`), each check with the reason when it fails. Neither needs a token: load balancers and orchestrators ask them.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::Chain;
use crate::extract::Json;

/// Longest a readiness check waits for a dependency.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(live))
        .routes(routes!(ready))
}

/// The health of the process and of each dependency checked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Health {
    /// `ok` or `unavailable`.
    pub status: &'static str,
    /// Per dependency: `ok`, or why not.
    pub checks: BTreeMap<&'static str, Check>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Check {
    /// `ok` or `unavailable`.
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For the relay: events in the log not yet published to JetStream; for the
    /// projections: the most events of its categories a read model has not yet applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lag: Option<i64>,
}

/// Liveness: the process serves requests.
#[utoipa::path(get, path = "/health/live", tag = "health",
    responses((status = OK, description = "Alive", body = Health)))]
pub async fn live() -> Json<Health> {
    Json(Health {
        status: "ok",
        checks: BTreeMap::new(),
    })
}

/// Readiness: PostgreSQL (and NATS, when connected) answer.
#[utoipa::path(get, path = "/health/ready", tag = "health",
    responses((status = OK, description = "Ready", body = Health),
              (status = SERVICE_UNAVAILABLE, description = "Not ready, with the reasons", body = Health)))]
pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let mut checks = BTreeMap::new();
    checks.insert("postgres", postgres(&state).await);
    checks.insert("relay", relay(&state).await);
    checks.insert("projections", projections(&state).await);
    if let Some(client) = &state.nats {
        checks.insert("nats", nats(client));
    }
    let ready = checks.values().all(|check| check.reason.is_none());
    let (status, word) = if ready {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
    };
    (
        status,
        Json(Health {
            status: word,
            checks,
        }),
    )
}

async fn postgres(state: &AppState) -> Check {
    let ping = sqlx::query_scalar!(r#"SELECT 1 AS "one!""#).fetch_one(&state.pool);
    match tokio::time::timeout(CHECK_TIMEOUT, ping).await {
        Ok(Ok(_)) => Check::ok(),
        Ok(Err(error)) => Check::failed(Chain(&error).to_string()),
        Err(_) => Check::failed(format!("no answer within {CHECK_TIMEOUT:?}")),
    }
}

/// How far the relay is behind the log head, by its checkpoint (saved about once a second,
/// so a busy log shows a small lag even when the relay keeps up).
async fn relay(state: &AppState) -> Check {
    let lag = sqlx::query_scalar!(
        r#"SELECT (SELECT position FROM es.log_head)
              - coalesce((SELECT max(position) FROM es.checkpoints WHERE name LIKE 'relay:%'), 0)
              AS "lag!""#,
    )
    .fetch_one(&state.pool);
    let max = state.config.ready_max_relay_lag;
    match tokio::time::timeout(CHECK_TIMEOUT, lag).await {
        Ok(Ok(lag)) if lag <= max => Check {
            lag: Some(lag),
            ..Check::ok()
        },
        Ok(Ok(lag)) => Check {
            lag: Some(lag),
            ..Check::failed(format!(
                "{lag} events not yet published to JetStream (more than {max}): is a relay running?"
            ))
        },
        Ok(Err(error)) => Check::failed(Chain(&error).to_string()),
        Err(_) => Check::failed(format!("no answer within {CHECK_TIMEOUT:?}")),
    }
}

/// How far the read models are behind: for each, the events of its categories after its
/// checkpoint (counted up to one more than allowed, so a long backlog costs no more than
/// a short one). The lag reported is the largest; the reason names every model behind.
async fn projections(state: &AppState) -> Check {
    let max = state.config.ready_max_projection_lag;
    let lags = async {
        let mut lags = Vec::new();
        for model in projections::catalog::read_models() {
            let lag = sqlx::query_scalar!(
                r#"SELECT count(*) AS "behind!" FROM (
                    SELECT 1 FROM es.events
                     WHERE category = ANY($2)
                       AND position > coalesce(
                           (SELECT position FROM es.checkpoints WHERE name = 'projection:' || $1), 0)
                     LIMIT $3) behind"#,
                model.name,
                model.categories as &[&str],
                max.saturating_add(1),
            )
            .fetch_one(&state.pool)
            .await?;
            lags.push((model.name, lag));
        }
        Ok::<_, sqlx::Error>(lags)
    };
    match tokio::time::timeout(CHECK_TIMEOUT, lags).await {
        Ok(Ok(lags)) => {
            let worst = lags.iter().map(|(_, lag)| *lag).max().unwrap_or(0);
            let behind: Vec<String> = lags
                .iter()
                .filter(|(_, lag)| *lag > max)
                .map(|(name, _)| (*name).to_owned())
                .collect();
            if behind.is_empty() {
                Check {
                    lag: Some(worst),
                    ..Check::ok()
                }
            } else {
                Check {
                    lag: Some(worst),
                    ..Check::failed(format!(
                        "more than {max} events not yet applied by {}: are projection workers running?",
                        behind.join(", ")
                    ))
                }
            }
        }
        Ok(Err(error)) => Check::failed(Chain(&error).to_string()),
        Err(_) => Check::failed(format!("no answer within {CHECK_TIMEOUT:?}")),
    }
}

fn nats(client: &async_nats::Client) -> Check {
    match client.connection_state() {
        async_nats::connection::State::Connected => Check::ok(),
        other => Check::failed(format!("the connection is {other}")),
    }
}

impl Check {
    fn ok() -> Self {
        Self {
            status: "ok",
            reason: None,
            lag: None,
        }
    }

    fn failed(reason: String) -> Self {
        Self {
            status: "unavailable",
            reason: Some(reason),
            lag: None,
        }
    }
}
