-- The notification inbox (docs/notifications.md). A user's notifications are the stream of their personal
-- channel notify:#<user>. Read state is the read_positions watermark of that channel (everything up to it is
-- read) plus the notifications above it read one by one, here. Rows at or below the watermark are deleted
-- when it moves.
CREATE TABLE notification_reads (
  user_id  text,
  channel  text,
  "offset" bigint,
  PRIMARY KEY (user_id, channel, "offset")
);

-- Responses of server API calls made with an idempotency key (POST /api/notify): written in the same
-- transaction as the publications, so a retried call finds the response instead of notifying again.
CREATE TABLE api_idempotency (
  method          text,
  idempotency_key text,
  response        text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (method, idempotency_key)
);
