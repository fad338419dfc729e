-- The web app's sessions. Owned by the `web` crate (web/src/session/store.rs).
-- Never edit an applied migration: add one.
CREATE SCHEMA IF NOT EXISTS web;

-- One row per signed-in browser. The cookie holds a random 256-bit token; only its SHA-256
-- is kept here, so a copy of this table signs nobody in. Signing out deletes the row, and
-- deactivating an account makes every page refuse its rows (the account is checked on
-- every request, from its stream).
CREATE TABLE web.sessions (
    token_hash  bytea       PRIMARY KEY,      -- SHA-256 of the cookie's token
    session_id  uuid        NOT NULL UNIQUE,  -- names the session in logs and in the events' metadata
    user_id     uuid        NOT NULL,
    csrf_token  text        NOT NULL,         -- sent back with every form and htmx POST
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX sessions_user_id ON web.sessions (user_id);
CREATE INDEX sessions_expires_at ON web.sessions (expires_at);
