//! Authentication at the API's edge: the [`Authenticated`] extractor, which turns a bearer
//! access token into the caller (401 otherwise), and whose [`Authenticated::require`] is a
//! handler's one permission check (403).
//!
//! The tokens, the password hashing and the caller itself are the `auth` crate's, a leaf
//! this crate and the web app share; they are re-exported here. The token routes that use
//! them are [`crate::sign_in`]'s.

mod authenticated;

pub use ::auth::{
    Caller, Claims, Forbidden, TokenError, TokenKeys, TokenPair, TokenType, Unauthorized, password,
    token,
};
pub use authenticated::{Authenticated, bearer_claims};
