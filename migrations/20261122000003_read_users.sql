-- User accounts (projections/src/users/): one row per account, as its events left it.
-- Never a password hash: that stays in the log, where only the write side reads it.
CREATE TABLE read.users (
    user_id       uuid        PRIMARY KEY,
    username      text        NOT NULL,   -- lowercase, unique (the store reserves it)
    email         text        NOT NULL,   -- trimmed and lowercased, unique (reserved too)
    display_name  text        NOT NULL,
    role          text        NOT NULL,   -- student, teacher, parent, admin, auditor, analyst, agent
    active        boolean     NOT NULL,   -- false while deactivated
    parent_ids    uuid[]      NOT NULL DEFAULT '{}',  -- a student's linked parents, in link order
    version       bigint      NOT NULL,   -- the user stream's version this row reflects
    created_at    timestamptz NOT NULL,   -- when the account was registered
    updated_at    timestamptz NOT NULL
);
-- The store's reservations keep usernames unique, so this never conflicts; it serves
-- look-ups by name. Emails are reserved as well, but looked up only.
CREATE UNIQUE INDEX users_username ON read.users (username);
CREATE INDEX users_email ON read.users (email);
-- Lists by role, paged by user id.
CREATE INDEX users_role ON read.users (role, user_id);
-- A parent's children.
CREATE INDEX users_parent_ids ON read.users USING gin (parent_ids);
