-- Webhooks (docs/webhooks.md). PostgreSQL is the arbiter of cluster-wide transitions: a node holds a key
-- (a channel, a user in a channel, a user) while it has at least one live subscription / connection for it,
-- and writes a row here only when that changes on the node (in batches). The counter row of a key, locked by
-- its upsert, serializes the nodes: the statement that takes it from 0 to 1 holder, or from 1 to 0, enqueues
-- the event, in the same statement, so each cluster-wide change is enqueued exactly once.
-- scope: 'c' channel (usr ''), 'm' member (channel, usr), 'u' user (channel '').
CREATE TABLE webhook_holders (
  scope   text NOT NULL,
  channel text NOT NULL,
  usr     text NOT NULL,
  node    text NOT NULL,
  PRIMARY KEY (scope, channel, usr, node)
);
CREATE INDEX webhook_holders_node ON webhook_holders (node);

CREATE TABLE webhook_keys (
  scope   text NOT NULL,
  channel text NOT NULL,
  usr     text NOT NULL,
  holders int NOT NULL,        -- rows of webhook_holders for this key; 0 rows are swept now and then
  PRIMARY KEY (scope, channel, usr)
);

CREATE SEQUENCE webhook_event_seq;

-- The durable queue: one row per (event, target URL). A sender claims due rows with FOR UPDATE SKIP LOCKED
-- and moves next_at forward by a lease; success deletes them, failure sets next_at by backoff.
CREATE TABLE webhook_queue (
  id         bigserial PRIMARY KEY,
  event_id   uuid NOT NULL,                 -- the same for every target of one event: receivers deduplicate by it
  seq        bigint NOT NULL,               -- increases with each transition of one key
  target     text NOT NULL,
  type       text NOT NULL,
  channel    text NOT NULL DEFAULT '',
  usr        text NOT NULL DEFAULT '',
  data       text,                          -- JSON of future event kinds (publication, client_event)
  created_at timestamptz NOT NULL DEFAULT now(),
  attempts   int NOT NULL DEFAULT 0,
  next_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_queue_due ON webhook_queue (target, next_at, id);
