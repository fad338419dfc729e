//! Who is calling, and what they may do: a leaf that the HTTP API (`api`) and the web app
//! (`web`) both build on.
//!
//! - [`token`]: HS256 JWTs (access, refresh, stream tickets) signed with
//!   `LECTERN_JWT_SECRET`.
//! - [`Caller`]: the user a request acts for, with [`Caller::require`], a handler's one
//!   permission check, which asks `domain::Role::can` (the permission table lives in
//!   `domain::access`).
//! - [`bearer`]: the caller's claims from an `Authorization: Bearer` header.
//! - [`password`]: argon2id hashing and verification on the blocking pool.
//!
//! It must not know routes, application state, HTTP responses or the database: turning a
//! refusal into a response is the front end's business (`api` answers problem+json, `web`
//! redirects to its sign-in page). Resource rules (an author sees their own drafts) are the
//! handlers', on top of the role's permissions.

pub mod bearer;
mod caller;
pub mod password;
pub mod token;

pub use bearer::{Unauthorized, bearer_claims};
pub use caller::{Caller, Forbidden};
pub use token::{Claims, TokenError, TokenKeys, TokenPair, TokenType};
