//! Authentication and authorization at the edge: a leaf of the crate, which every route
//! module (and a web front end) builds on, and which knows no route and no application
//! state.
//!
//! - [`token`]: HS256 JWTs (access, refresh, stream tickets) signed with
//!   `LECTERN_JWT_SECRET`.
//! - [`Authenticated`]: the extractor that turns a bearer access token into the caller
//!   (401 otherwise), with [`Authenticated::require`], a handler's one permission check
//!   (403), which asks `domain::Role::can` — the permission table lives in `domain::access`.
//! - [`password`]: argon2id hashing and verification on the blocking pool.
//!
//! The token routes that use them are [`crate::sign_in`]'s. Resource rules (an author sees
//! their own drafts) are the handlers' business, on top of the role's permissions.

mod authenticated;
pub mod password;
pub mod token;

pub use authenticated::{Authenticated, bearer_claims};
pub use token::{Claims, TokenError, TokenKeys, TokenPair, TokenType};
