-- The event store: one append-only log of events, plus what the appender needs to keep it
-- consistent. Owned by the `eventstore` crate. Never edit an applied migration: add one.
CREATE SCHEMA IF NOT EXISTS es;

-- One row per event. `position` is global, dense (1, 2, 3, … no holes) and in commit
-- order: the appender takes positions from es.log_head under one advisory lock.
CREATE TABLE es.events (
    position        bigint      PRIMARY KEY,
    event_id        uuid        NOT NULL UNIQUE,        -- UUIDv7, also the JetStream Nats-Msg-Id
    stream_id       text        NOT NULL,               -- `<category>-<uuid>`
    stream_version  bigint      NOT NULL,               -- 1-based within the stream
    event_type      text        NOT NULL,               -- e.g. LessonDrafted
    schema_version  integer     NOT NULL DEFAULT 1,     -- the payload's shape version
    payload         jsonb       NOT NULL,
    metadata        jsonb       NOT NULL DEFAULT '{}',  -- actor, command, correlation, causation, trace
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    -- the category, derived so that filtered log reads can use an index
    category        text        GENERATED ALWAYS AS (split_part(stream_id, '-', 1)) STORED,
    UNIQUE (stream_id, stream_version)
);
CREATE INDEX events_category_position ON es.events (category, position);

-- Each stream's current version and last position, for fast expected-version checks.
CREATE TABLE es.streams (
    stream_id      text        PRIMARY KEY,
    version        bigint      NOT NULL,
    last_position  bigint      NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- The log head: the last position handed out. A single row, updated under the log lock.
CREATE TABLE es.log_head (
    id        boolean PRIMARY KEY DEFAULT true CHECK (id),
    position  bigint  NOT NULL
);
INSERT INTO es.log_head (id, position) VALUES (true, 0);

-- Command ids already applied (idempotency): repeating one returns `result` and writes nothing.
CREATE TABLE es.command_ids (
    command_id   uuid        PRIMARY KEY,
    stream_id    text        NOT NULL,
    result       jsonb       NOT NULL,   -- the first append's result (version, positions, event ids)
    recorded_at  timestamptz NOT NULL DEFAULT now()
);

-- Uniqueness across aggregates (a username, an email): one row per reserved value,
-- written in the same transaction as the events that claim it.
CREATE TABLE es.reservations (
    scope        text        NOT NULL,   -- e.g. `username`
    value        text        NOT NULL,   -- the reserved value, normalised by the caller
    stream_id    text        NOT NULL,   -- the stream that holds it
    reserved_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, value)
);

-- Checkpoints of workers that follow the log (relay, projections): last handled position.
CREATE TABLE es.checkpoints (
    name        text        PRIMARY KEY,
    position    bigint      NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Messages a consumer gave up on after max_deliver attempts.
CREATE TABLE es.dead_letters (
    id             bigserial   PRIMARY KEY,
    consumer       text        NOT NULL,   -- durable consumer name
    subject        text        NOT NULL,
    stream_seq     bigint      NOT NULL,   -- JetStream stream sequence
    event_id       uuid,
    position       bigint,
    deliveries     bigint      NOT NULL,
    error          text        NOT NULL,
    payload        bytea       NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now()
);

