//! Uniqueness across accounts: one username and one email per account, kept by the
//! store's reservations in the same transaction as the events (the domain cannot see
//! other streams, so it only names the values).

use super::{User, UserEvent};

impl User {
    /// The reservation scope of usernames.
    pub const USERNAME_SCOPE: &'static str = "username";
    /// The reservation scope of email addresses.
    pub const EMAIL_SCOPE: &'static str = "email";

    /// The `(scope, value)` pairs `events` claim: a registration claims its username and
    /// its email, both already in their normalised (lowercase) form. Map them to the
    /// store's `Reservation { scope, value }` when appending (e.g. in
    /// `CommandRunner::execute_reserving`).
    pub fn reservations(events: &[UserEvent]) -> Vec<(&'static str, String)> {
        events
            .iter()
            .flat_map(|event| match event {
                UserEvent::UserRegistered {
                    username, email, ..
                } => vec![
                    (Self::USERNAME_SCOPE, username.as_str().to_owned()),
                    (Self::EMAIL_SCOPE, email.as_str().to_owned()),
                ],
                _ => Vec::new(),
            })
            .collect()
    }
}
