//! When a feed's caller is deactivated: a `UserDeactivated` on their own account stream at
//! a position after the feed was admitted ends every feed they hold, whether the pump
//! meets it on the hub, reads it from the store while catching up, or (when a `types=`
//! filter leaves it out, or the ring moved on) finds it with one read after subscribing.
//!
//! The route reads the head *before* it finds the account active, so a deactivation that
//! commits after that check always lies past `opened`.

use sqlx::PgPool;

use crate::audit::history::{self, AuditEvent};

/// The event that ends the feeds of the account it deactivates.
const DEACTIVATED: &str = "UserDeactivated";

/// One feed's watch for its caller's deactivation.
#[derive(Debug, Clone)]
pub struct Revocation {
    /// The caller's account stream.
    own_stream: String,
    /// The log's head when the feed was admitted.
    opened: i64,
}

impl Revocation {
    pub fn new(user: uuid::Uuid, opened: i64) -> Self {
        Self {
            own_stream: format!("user-{user}"),
            opened,
        }
    }

    /// Whether this event deactivates the caller after the feed was admitted.
    pub fn by(&self, event: &AuditEvent) -> bool {
        event.position > self.opened
            && event.event_type == DEACTIVATED
            && event.stream_id == self.own_stream
    }

    /// Whether the caller has been deactivated since the feed was admitted, as the store
    /// has it now.
    pub async fn in_store(&self, pool: &PgPool) -> Result<bool, sqlx::Error> {
        let found = history::stream_after(
            pool,
            &self.own_stream,
            self.opened,
            i64::MAX,
            &[DEACTIVATED.to_owned()],
            1,
        )
        .await?;
        Ok(!found.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use serde_json::json;
    use uuid::Uuid;

    fn event(position: i64, stream_id: &str, event_type: &str) -> AuditEvent {
        AuditEvent {
            position,
            event_id: Uuid::now_v7(),
            stream_id: stream_id.to_owned(),
            stream_version: 2,
            event_type: event_type.to_owned(),
            schema_version: 1,
            payload: json!({}),
            metadata: json!({}),
            recorded_at: Utc::now(),
            hash: None,
        }
    }

    #[test]
    fn only_the_callers_own_deactivation_after_the_feed_opened_revokes_it() {
        let user = Uuid::now_v7();
        let own = format!("user-{user}");
        let watch = Revocation::new(user, 10);
        assert!(watch.by(&event(11, &own, "UserDeactivated")));
        assert!(
            !watch.by(&event(10, &own, "UserDeactivated")),
            "before it opened"
        );
        assert!(!watch.by(&event(11, &own, "UserReactivated")));
        let other = format!("user-{}", Uuid::now_v7());
        assert!(!watch.by(&event(11, &other, "UserDeactivated")));
    }
}
