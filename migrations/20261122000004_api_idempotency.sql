-- Idempotency keys of HTTP commands. Owned by the `api` crate (api/src/idempotency.rs).
-- Never edit an applied migration: add one.
CREATE SCHEMA IF NOT EXISTS api;

-- One row per Idempotency-Key a client sent with a command, written before the command
-- runs. The event store dedupes the command itself (es.command_ids); this row is what tells
-- a retry of the same request from a different request that reuses the key (422).
CREATE TABLE api.idempotency_keys (
    command_id    uuid        PRIMARY KEY,       -- UUIDv5 of (actor id, key): the command id given to the store
    actor_id      uuid        NOT NULL,          -- who sent it (keys are scoped by actor)
    key           text        NOT NULL,          -- the Idempotency-Key header as sent, at most 200 characters
    method        text        NOT NULL,          -- the request's method, e.g. POST
    path          text        NOT NULL,          -- the request's path, e.g. /v1/lessons/{id}/publish
    request_hash  bytea       NOT NULL,          -- SHA-256 of method, path and the body's canonical JSON
    created_at    timestamptz NOT NULL DEFAULT now()
);
-- For expiring old keys (not done yet: keys are kept, as es.command_ids are).
CREATE INDEX idempotency_keys_created_at ON api.idempotency_keys (created_at);
