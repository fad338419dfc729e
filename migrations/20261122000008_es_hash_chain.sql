-- Tamper evidence for the log (issue 6): a hash chain over every event, in position order,
-- written by the appender under the log lock (eventstore/src/audit/, docs/audit.md).
--
--   hash(n) = sha256(hash(n-1) ‖ canonical bytes of event n), hash(0) = 32 zero bytes
--
-- Owned by the `eventstore` crate. Never edit an applied migration: add one.

-- The event's link in the chain. NULL only for rows written before this migration: the
-- chain starts at the first event appended after it (its previous hash is 32 zero bytes),
-- and a verify reports the rows before it as an unchained prefix.
ALTER TABLE es.events ADD COLUMN hash bytea;

-- The hash of the event at the head (NULL while the chain has not started). Read with the
-- head under the log lock and moved in the same statement that writes the events.
ALTER TABLE es.log_head ADD COLUMN hash bytea;

-- Anchors: the chain's hash at every N-th position (N = WriterConfig::anchor_every,
-- 10,000 by default), written in the same statement as the event at that position and
-- also logged (`log anchor`), so that a copy lives outside the database. A verify may
-- start from an anchor instead of from the first event.
CREATE TABLE es.anchors (
    position     bigint      PRIMARY KEY,   -- es.events.position
    hash         bytea       NOT NULL,      -- es.events.hash at that position
    recorded_at  timestamptz                -- the event's recorded_at
);
