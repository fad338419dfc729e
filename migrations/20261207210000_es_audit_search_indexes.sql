-- The auditor's log explorer narrows the log by time and follows correlation and causation
-- ids; with these its pages stay an index lookup plus a keyset range on a log of millions.
CREATE INDEX events_recorded_at ON es.events (recorded_at);
CREATE INDEX events_correlation ON es.events ((metadata->>'correlation_id'), position)
    WHERE metadata ? 'correlation_id';
CREATE INDEX events_causation ON es.events ((metadata->>'causation_id'), position)
    WHERE metadata ? 'causation_id';
