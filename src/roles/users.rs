//! `lectern users create`: register a user straight into the store, without a server (the
//! way to the first admin). The password comes from a prompt or `--password-stdin`; it is
//! hashed with argon2id like the API does, and the username and email are reserved in the
//! same transaction as the registration.

use std::io::BufRead;

use anyhow::{Context, bail};
use commands::{CommandContext, CommandError, CommandRunner};
use domain::{DisplayName, Email, Password, Role, User, UserCommand, UserId, Username};
use eventstore::{EventStore, Reservation};
use uuid::Uuid;

use crate::cli::UsersCreate;
use crate::db;

pub async fn create(args: UsersCreate) -> anyhow::Result<()> {
    let username = Username::parse(&args.username)?;
    let role = Role::parse(&args.role)?;
    let email = Email::parse(
        args.email
            .clone()
            .unwrap_or_else(|| format!("{}@lectern.local", username.as_str())),
    )?;
    let display_name =
        DisplayName::parse(args.display_name.as_deref().unwrap_or(username.as_str()))?;
    let password = Password::parse(read_password(args.password_stdin)?)?;

    let pool = db::connect_and_migrate(&args.db).await?;
    let users = CommandRunner::<User>::new(EventStore::start(pool).await?);
    let password_hash = api::auth::password::hash(password)
        .await
        .context("cannot hash the password")?;
    let id = Uuid::now_v7();
    let register = UserCommand::Register {
        user_id: UserId::new(id),
        username: username.clone(),
        email,
        display_name,
        password_hash,
        role,
    };
    let ctx = CommandContext {
        correlation_id: Some("cli:users-create".to_owned()),
        ..CommandContext::default()
    };
    let reserve = |events: &[_]| {
        User::reservations(events)
            .into_iter()
            .map(|(scope, value)| Reservation::new(scope, value))
            .collect()
    };
    match users.execute_reserving(id, &register, &ctx, reserve).await {
        Ok(outcome) => {
            println!(
                "created {role} `{}` (user id {id}, log position {})",
                username.as_str(),
                outcome.last_position
            );
            Ok(())
        }
        Err(CommandError::Taken { scope, value }) => bail!("{scope} `{value}` is already taken"),
        Err(error) => Err(error).context("cannot register the user"),
    }
}

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    let first = rpassword::prompt_password("Password (at least 12 characters): ")
        .context("cannot prompt for a password (no terminal? use --password-stdin)")?;
    let again = rpassword::prompt_password("Again: ")?;
    if first != again {
        bail!("the passwords differ");
    }
    Ok(first)
}
