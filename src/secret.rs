//! The JWT secret of `lectern dev`: generated once and kept in `./.lectern/jwt-secret`, so
//! tokens survive restarts of the dev server.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use anyhow::Context;
use api::auth::token::MIN_SECRET_BYTES;
use secrecy::SecretString;

pub fn dev_jwt_secret(home: &Path) -> anyhow::Result<SecretString> {
    let path = home.join("jwt-secret");
    if let Ok(secret) = std::fs::read_to_string(&path) {
        let secret = secret.trim().to_owned();
        if secret.len() >= MIN_SECRET_BYTES {
            return Ok(SecretString::from(secret));
        }
    }
    // Two v4 UUIDs come from the OS's random source: 244 random bits.
    let secret = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    std::fs::create_dir_all(home).with_context(|| format!("cannot create {}", home.display()))?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    writeln!(file, "{secret}")?;
    tracing::info!(path = %path.display(), "generated the dev JWT secret");
    Ok(SecretString::from(secret))
}
