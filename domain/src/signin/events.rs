use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::upcast::Upcasters;
use crate::values::{UserId, Username};
use crate::{DecodeError, DomainEvent};

/// What happened when someone asked for tokens. The variant name is the stored
/// `event_type`; its fields are the payload. No password and no token is ever part of one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum SignInEvent {
    /// `POST /v1/auth/token` gave `user_id` a token pair. The metadata's actor is the
    /// account (with its role at the time).
    SignedIn { user_id: UserId },
    /// `POST /v1/auth/token` was refused (the caller saw the same 401 whatever the
    /// reason). `username` is the name tried when it is a well-formed username, null when
    /// the input was not one (it is not kept: it may be a password typed into the wrong
    /// field); `user_id` is the account holding it, when one does. No actor.
    SignInFailed {
        username: Option<Username>,
        user_id: Option<UserId>,
        reason: SignInFailure,
    },
    /// `POST /v1/auth/refresh` was refused. `user_id` is the token's subject when Lectern
    /// signed the token (expired or not), null for a token it did not sign. No actor.
    TokenRefreshRefused {
        user_id: Option<UserId>,
        reason: RefreshRefusal,
    },
}

/// Why a sign-in was refused: the first check that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignInFailure {
    /// No account holds the username (or the input is not a username at all).
    UnknownUser,
    /// The account exists and the password is not its password.
    WrongPassword,
    /// The password is right but the account is deactivated.
    Deactivated,
}

/// Why a token refresh was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefreshRefusal {
    /// Not a token Lectern signed: a bad signature, another algorithm, not a JWT.
    InvalidToken,
    /// A token Lectern signed, past its expiry.
    Expired,
    /// A valid access token sent where a refresh token belongs.
    NotARefreshToken,
    /// A valid refresh token whose account does not exist.
    UnknownUser,
    /// A valid refresh token whose account is deactivated.
    Deactivated,
}

impl SignInFailure {
    /// The snake_case name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnknownUser => "unknown_user",
            Self::WrongPassword => "wrong_password",
            Self::Deactivated => "deactivated",
        }
    }
}

impl RefreshRefusal {
    /// The snake_case name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidToken => "invalid_token",
            Self::Expired => "expired",
            Self::NotARefreshToken => "not_a_refresh_token",
            Self::UnknownUser => "unknown_user",
            Self::Deactivated => "deactivated",
        }
    }
}

impl fmt::Display for SignInFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for RefreshRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl SignInEvent {
    /// Every sign-in event type, e.g. for subscription filters.
    pub const EVENT_TYPES: [&'static str; 3] = ["SignedIn", "SignInFailed", "TokenRefreshRefused"];

    /// How payloads of older schema versions become the current shape, per event type
    /// ([`crate::upcast`]): none has changed, every type is at version 1.
    pub const UPCASTERS: Upcasters = Upcasters::NONE;
}

impl DomainEvent for SignInEvent {
    fn event_type(&self) -> &'static str {
        match self {
            Self::SignedIn { .. } => "SignedIn",
            Self::SignInFailed { .. } => "SignInFailed",
            Self::TokenRefreshRefused { .. } => "TokenRefreshRefused",
        }
    }

    fn schema_version(&self) -> i32 {
        Self::UPCASTERS.current_version(self.event_type())
    }

    fn to_payload(&self) -> Value {
        crate::payload::to_payload(self)
    }

    fn from_stored(
        event_type: &str,
        schema_version: i32,
        payload: &Value,
    ) -> Result<Self, DecodeError> {
        crate::payload::from_payload(
            &Self::EVENT_TYPES,
            &Self::UPCASTERS,
            event_type,
            schema_version,
            payload,
        )
    }
}
