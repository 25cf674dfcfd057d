-- Durable channel streams. PostgreSQL is the sequencer: streams.top is the last offset handed out, and an
-- append takes the row lock of its stream while it inserts, so offsets are gap-free and commit in order.
CREATE TABLE streams (
  channel    text PRIMARY KEY,
  top        bigint NOT NULL,
  epoch      text NOT NULL,
  created_at timestamptz DEFAULT now()
);

CREATE TABLE publications (
  channel         text,
  "offset"        bigint,
  data            text NOT NULL,  -- raw JSON text: the publisher's exact bytes
  info            text,           -- raw JSON of ClientInfo, or null
  tags            text,           -- JSON object of string values, or null
  idempotency_key text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, "offset")
);

CREATE UNIQUE INDEX publications_idempotency_key ON publications (channel, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- TTL trimming deletes the oldest rows of all channels.
CREATE INDEX publications_created_at ON publications (created_at);

CREATE TABLE read_positions (
  user_id    text,
  channel    text,
  "offset"   bigint NOT NULL,
  updated_at timestamptz DEFAULT now(),
  PRIMARY KEY (user_id, channel)
);
