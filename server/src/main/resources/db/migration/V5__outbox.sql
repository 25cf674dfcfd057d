-- The outbox: applications insert rows here inside their own transactions; Switchboard publishes each
-- committed row once (io.switchboard.outbox.OutboxIngest, docs/notifications.md).
CREATE TABLE switchboard_outbox (
  id              bigserial PRIMARY KEY,
  channel         text NOT NULL,
  data            json NOT NULL,   -- validated at insert; published compacted, key order kept
  idempotency_key text,
  tags            jsonb CHECK (tags IS NULL OR jsonb_typeof(tags) = 'object'),
  created_at      timestamptz NOT NULL DEFAULT now(),
  published_at    timestamptz,     -- set by Switchboard, in the transaction that stored the publication
  publish_offset  bigint,          -- the stream offset (the original one for a duplicate key), null without history
  error           text             -- why the row was skipped (unknown channel, ...); it is never retried
);

-- What the ingest reads: pending rows in id order.
CREATE INDEX switchboard_outbox_pending ON switchboard_outbox (id)
  WHERE published_at IS NULL AND error IS NULL;

-- Idempotency keys of channels without history are checked against earlier outbox rows.
CREATE INDEX switchboard_outbox_key ON switchboard_outbox (channel, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- NOTIFY is delivered at commit, and never for a rolled-back transaction. Identical notifications of one
-- transaction are folded into one, so a transaction that inserts many rows wakes Switchboard once.
CREATE FUNCTION switchboard_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('switchboard_outbox', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER switchboard_outbox_notify AFTER INSERT ON switchboard_outbox
  FOR EACH STATEMENT EXECUTE FUNCTION switchboard_outbox_notify();
