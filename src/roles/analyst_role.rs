//! `lectern analyst-role create`: the read-only PostgreSQL role analysts connect with
//! (`lectern_analyst`): SELECT on schema `read`, nothing of `es` or `api`.

use std::io::BufRead;

use anyhow::{Context, bail};
use projections::analysts::{ANALYST_ROLE, grant_read_only};

use crate::cli::AnalystRoleCreate;
use crate::db;

pub async fn create(args: AnalystRoleCreate) -> anyhow::Result<()> {
    let password = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    } else {
        rpassword::prompt_password(format!("Password for {ANALYST_ROLE}: "))
            .context("cannot prompt for a password (no terminal? use --password-stdin)")?
    };
    if password.len() < 12 {
        bail!("the password must be at least 12 characters");
    }
    let pool = db::connect_and_migrate(&args.db).await?;
    grant_read_only(&pool, ANALYST_ROLE, &password)
        .await
        .context("cannot create the analyst role (does the DATABASE_URL user have CREATEROLE?)")?;
    println!("role {ANALYST_ROLE} can now log in and SELECT from schema read (only)");
    Ok(())
}
