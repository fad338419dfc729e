use serde::{Deserialize, Serialize};

use super::SignInEvent;

/// The attempts recorded on one sign-in stream, as a tally. No rule reads it yet; it is
/// what a lockout after repeated failures would decide on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInRecord {
    pub sign_ins: u64,
    pub failed_sign_ins: u64,
    /// Failed sign-ins since the last successful one.
    pub failures_in_a_row: u64,
    pub refused_refreshes: u64,
}

pub(super) fn evolve(mut record: SignInRecord, event: &SignInEvent) -> SignInRecord {
    match event {
        SignInEvent::SignedIn { .. } => {
            record.sign_ins += 1;
            record.failures_in_a_row = 0;
        }
        SignInEvent::SignInFailed { .. } => {
            record.failed_sign_ins += 1;
            record.failures_in_a_row += 1;
        }
        SignInEvent::TokenRefreshRefused { .. } => record.refused_refreshes += 1,
    }
    record
}
