use super::{RefreshRefusal, SignInFailure};
use crate::values::{UserId, Username};

/// What the API records about an attempt to get tokens; each becomes the
/// [`super::SignInEvent`] of the same name. The actor (the account, for a sign-in; none
/// otherwise) and the request id travel in the command's context, not here.
#[derive(Debug, Clone, PartialEq)]
pub enum SignInCommand {
    /// `user_id` signed in and got a token pair.
    RecordSignIn { user_id: UserId },
    /// A sign-in was refused; see [`super::SignInEvent::SignInFailed`].
    RecordFailedSignIn {
        username: Option<Username>,
        user_id: Option<UserId>,
        reason: SignInFailure,
    },
    /// A refresh was refused; see [`super::SignInEvent::TokenRefreshRefused`].
    RecordRefusedRefresh {
        user_id: Option<UserId>,
        reason: RefreshRefusal,
    },
}
