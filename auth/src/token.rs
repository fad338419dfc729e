//! JWTs: HS256 only, signed with the key from `LECTERN_JWT_SECRET`.
//!
//! Access tokens are short-lived (15 minutes by default) and authenticate requests; refresh
//! tokens live longer (7 days) and are only good for getting a new pair. The claims are
//! `{sub, role, typ, exp, iat, jti}`. A token with any other algorithm (`none` included),
//! a bad signature, an `exp` in the past or the wrong `typ` is refused.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use domain::Role;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Shortest secret accepted: HS256 wants a key at least as long as its 256-bit output.
pub const MIN_SECRET_BYTES: usize = 32;

/// Clock skew tolerated on `exp`.
const LEEWAY_SECS: u64 = 30;

/// What a token is good for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenType {
    Access,
    Refresh,
    /// A stream ticket: good only for opening a live feed.
    Ticket,
}

impl fmt::Display for TokenType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Access => "access",
            Self::Refresh => "refresh",
            Self::Ticket => "ticket",
        })
    }
}

/// The claims of a Lectern token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    pub sub: Uuid,
    pub role: Role,
    pub typ: TokenType,
    /// Expiry, seconds since the Unix epoch.
    pub exp: u64,
    /// Issued at, seconds since the Unix epoch.
    pub iat: u64,
    /// The token's own id (to revoke a refresh token, later).
    pub jti: Uuid,
    /// A stream ticket's: when the access token it was issued for expires (seconds since
    /// the Unix epoch). A feed opened with the ticket ends then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<u64>,
}

/// An access and a refresh token, as the token routes answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("the JWT secret must be at least {MIN_SECRET_BYTES} bytes (got {0})")]
    WeakSecret(usize),
    #[error("the token has expired")]
    Expired,
    #[error("the token's type is `{got}`, not `{expected}`")]
    WrongType { expected: TokenType, got: TokenType },
    #[error("the token is signed with an algorithm other than HS256")]
    WrongAlgorithm,
    #[error("the token's signature is not valid")]
    BadSignature,
    #[error("the token is malformed")]
    Malformed(#[source] jsonwebtoken::errors::Error),
    #[error("the token could not be signed")]
    Signing(#[source] jsonwebtoken::errors::Error),
}

/// The keys that sign and verify tokens, and their lifetimes.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    access_ttl: Duration,
    refresh_ttl: Duration,
}

impl TokenKeys {
    pub fn from_secret(
        secret: &[u8],
        access_ttl: Duration,
        refresh_ttl: Duration,
    ) -> Result<Self, TokenError> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(TokenError::WeakSecret(secret.len()));
        }
        // `Validation::new` allows exactly the algorithm given; the header's `alg` must be it.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = LEEWAY_SECS;
        validation.set_required_spec_claims(&["exp", "sub"]);
        Ok(Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            access_ttl,
            refresh_ttl,
        })
    }

    /// Sign a token of `typ` for `user`.
    pub fn issue(&self, user: Uuid, role: Role, typ: TokenType) -> Result<String, TokenError> {
        let ttl = match typ {
            TokenType::Access => self.access_ttl,
            TokenType::Refresh => self.refresh_ttl,
            TokenType::Ticket => Duration::ZERO,
        };
        let now = unix_now();
        let claims = Claims {
            sub: user,
            role,
            typ,
            exp: now + ttl.as_secs(),
            iat: now,
            jti: Uuid::now_v7(),
            until: None,
        };
        self.sign(&claims)
    }

    /// A stream ticket for the holder of the access token `access`: good for `ttl`, and
    /// never beyond the access token's own expiry.
    pub fn issue_ticket(&self, access: &Claims, ttl: Duration) -> Result<String, TokenError> {
        let now = unix_now();
        self.sign(&Claims {
            sub: access.sub,
            role: access.role,
            typ: TokenType::Ticket,
            exp: (now + ttl.as_secs()).min(access.exp),
            iat: now,
            jti: Uuid::now_v7(),
            until: Some(access.exp),
        })
    }

    /// Sign exactly these claims (token routes; tests that need odd claims).
    pub fn sign(&self, claims: &Claims) -> Result<String, TokenError> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .map_err(TokenError::Signing)
    }

    /// A fresh access and refresh token for `user`.
    pub fn issue_pair(&self, user: Uuid, role: Role) -> Result<TokenPair, TokenError> {
        Ok(TokenPair {
            access_token: self.issue(user, role, TokenType::Access)?,
            refresh_token: self.issue(user, role, TokenType::Refresh)?,
            token_type: "Bearer",
            expires_in: self.access_ttl.as_secs(),
        })
    }

    /// The subject of a token this server signed, even one that has expired or is of the
    /// other type; None for anything else (a bad signature, another algorithm, not a JWT).
    /// Only for saying whom a refused token concerned: it authenticates nobody.
    pub fn signed_subject(&self, token: &str) -> Option<Uuid> {
        let mut validation = self.validation.clone();
        validation.validate_exp = false;
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .ok()
            .map(|data| data.claims.sub)
    }

    /// The claims of a valid stream ticket. A ticket opens a feed until its own `exp`; it
    /// resumes one (`resuming`: the request carries `Last-Event-ID`, as a reconnecting
    /// `EventSource` sends it with the same URL) until `until`, the expiry of the access
    /// token it was issued for.
    pub fn verify_ticket(&self, token: &str, resuming: bool) -> Result<Claims, TokenError> {
        let mut validation = self.validation.clone();
        validation.validate_exp = false;
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|error| match error.kind() {
                ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => {
                    TokenError::WrongAlgorithm
                }
                ErrorKind::InvalidSignature => TokenError::BadSignature,
                _ => TokenError::Malformed(error),
            })?
            .claims;
        if claims.typ != TokenType::Ticket {
            return Err(TokenError::WrongType {
                expected: TokenType::Ticket,
                got: claims.typ,
            });
        }
        let good_until = match (resuming, claims.until) {
            (true, Some(until)) => until,
            _ => claims.exp,
        };
        if good_until + LEEWAY_SECS <= unix_now() {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }

    /// The claims of a valid token of type `expected`.
    pub fn verify(&self, token: &str, expected: TokenType) -> Result<Claims, TokenError> {
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|error| match error.kind() {
                ErrorKind::ExpiredSignature => TokenError::Expired,
                ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => {
                    TokenError::WrongAlgorithm
                }
                ErrorKind::InvalidSignature => TokenError::BadSignature,
                _ => TokenError::Malformed(error),
            })?
            .claims;
        if claims.typ != expected {
            return Err(TokenError::WrongType {
                expected,
                got: claims.typ,
            });
        }
        Ok(claims)
    }
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::from_secret(
            &[7; 32],
            Duration::from_secs(900),
            Duration::from_secs(3600),
        )
        .unwrap()
    }

    #[test]
    fn an_issued_access_token_verifies_with_its_claims() {
        let keys = keys();
        let user = Uuid::now_v7();
        let token = keys.issue(user, Role::Teacher, TokenType::Access).unwrap();
        let claims = keys.verify(&token, TokenType::Access).unwrap();
        assert_eq!((claims.sub, claims.role), (user, Role::Teacher));
        assert_eq!(claims.exp - claims.iat, 900);
    }

    #[test]
    fn a_pair_holds_an_access_and_a_refresh_token() {
        let keys = keys();
        let pair = keys.issue_pair(Uuid::now_v7(), Role::Student).unwrap();
        assert!(keys.verify(&pair.access_token, TokenType::Access).is_ok());
        let refresh = keys
            .verify(&pair.refresh_token, TokenType::Refresh)
            .unwrap();
        assert_eq!(refresh.exp - refresh.iat, 3600);
        assert!(matches!(
            keys.verify(&pair.refresh_token, TokenType::Access),
            Err(TokenError::WrongType { .. })
        ));
    }

    #[test]
    fn the_subject_of_an_expired_or_access_token_is_known_but_not_of_a_forged_one() {
        let keys = keys();
        let user = Uuid::now_v7();
        let expired = keys
            .sign(&Claims {
                sub: user,
                role: Role::Student,
                typ: TokenType::Refresh,
                exp: unix_now() - 3600,
                iat: unix_now() - 7200,
                jti: Uuid::now_v7(),
                until: None,
            })
            .unwrap();
        assert!(matches!(
            keys.verify(&expired, TokenType::Refresh),
            Err(TokenError::Expired)
        ));
        assert_eq!(keys.signed_subject(&expired), Some(user));
        let access = keys.issue(user, Role::Student, TokenType::Access).unwrap();
        assert_eq!(keys.signed_subject(&access), Some(user));

        let other = TokenKeys::from_secret(&[8; 32], Duration::ZERO, Duration::ZERO).unwrap();
        let forged = other.issue(user, Role::Admin, TokenType::Refresh).unwrap();
        assert_eq!(keys.signed_subject(&forged), None);
        assert_eq!(keys.signed_subject("not a token"), None);
    }

    #[test]
    fn a_secret_shorter_than_32_bytes_is_refused() {
        let short = TokenKeys::from_secret(&[7; 31], Duration::ZERO, Duration::ZERO);
        assert!(matches!(short, Err(TokenError::WeakSecret(31))));
    }
}
