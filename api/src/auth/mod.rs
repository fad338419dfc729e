//! Authentication and authorization at the edge.
//!
//! - [`token`]: HS256 JWTs (access and refresh) signed with `LECTERN_JWT_SECRET`.
//! - [`Authenticated`]: the extractor that turns a bearer access token into the caller
//!   (401 otherwise), with [`Authenticated::require`], a handler's one permission check
//!   (403), which asks `domain::Role::can` — the permission table lives in `domain::access`.
//! - [`password`]: argon2id hashing and verification on the blocking pool.
//!
//! Resource rules (an author sees their own drafts) are the handlers' business, on top of
//! the role's permissions.

mod authenticated;
pub mod password;
pub mod token;

pub use authenticated::Authenticated;
pub use token::{Claims, TokenError, TokenKeys, TokenPair, TokenType};
