//! Password hashing with argon2id (the `argon2` crate's default parameters: 19 MiB,
//! 2 passes, 1 lane), on the blocking pool so a hash never stalls the async workers.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{self, PasswordHasher, PasswordVerifier, SaltString};
use domain::{Password, PasswordHash};

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("hashing the password failed")]
    Hash(#[source] password_hash::Error),
    #[error("the hasher produced a string that is not a PHC hash")]
    NotPhc(#[source] domain::ValueError),
    #[error("the hashing task failed")]
    Task(#[source] tokio::task::JoinError),
}

/// Hash `password` with a fresh salt.
pub async fn hash(password: Password) -> Result<PasswordHash, PasswordError> {
    let phc = tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.expose().as_bytes(), &salt)
            .map(|hash| hash.to_string())
    })
    .await
    .map_err(PasswordError::Task)?
    .map_err(PasswordError::Hash)?;
    PasswordHash::parse(phc).map_err(PasswordError::NotPhc)
}

/// Does `password` match `hash`? With no hash (an unknown user), a dummy hash is verified
/// instead so the answer takes as long, and says no: response times must not tell which
/// usernames exist.
pub async fn verify(password: Password, hash: Option<PasswordHash>) -> Result<bool, PasswordError> {
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let phc = hash.map_or_else(|| DUMMY_HASH.to_owned(), String::from);
        let matches = password_hash::PasswordHash::new(&phc)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.expose().as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        known && matches
    })
    .await
    .map_err(PasswordError::Task)
}

/// An argon2id hash (default parameters) of a random password nobody knows.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$Yp1UG3pI0t4KIM4mhmTWrA$qd3GS9ApnSsVOKBKmrGW8uEdGQpqP0xdZctQvdO1x9k";

#[cfg(test)]
mod tests {
    use super::*;

    fn password(raw: &str) -> Password {
        Password::parse(raw).unwrap()
    }

    #[tokio::test]
    async fn a_hashed_password_verifies_and_another_does_not() {
        let hash = hash(password("correct horse battery")).await.unwrap();
        assert_eq!(hash.algorithm(), "argon2id");
        assert!(
            verify(password("correct horse battery"), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(
            !verify(password("correct horse battery!"), Some(hash))
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn without_a_hash_the_answer_is_no_after_the_same_work() {
        assert!(password_hash::PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(
            !verify(password("correct horse battery"), None)
                .await
                .unwrap()
        );
    }
}
