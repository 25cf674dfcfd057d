-- Web Push (docs/notifications.md, "Web Push"). Browser push subscriptions, per user. An endpoint belongs to one
-- browser profile, so it is unique: subscribing it again (another user logged in there) moves it.
CREATE TABLE push_subscriptions (
  id         bigserial PRIMARY KEY,
  user_id    text NOT NULL,
  endpoint   text NOT NULL UNIQUE,
  p256dh     text NOT NULL,      -- base64url, 65-byte uncompressed P-256 point
  auth       text NOT NULL,      -- base64url, 16-byte auth secret
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);

-- The durable queue: one row per (user, notification) to push. A sender claims due rows with
-- FOR UPDATE SKIP LOCKED and sets claimed_until (its lease); attempts counts claims.
CREATE TABLE push_jobs (
  id              bigserial PRIMARY KEY,
  user_id         text NOT NULL,
  channel         text NOT NULL,
  "offset"        bigint NOT NULL,
  payload         text NOT NULL,   -- JSON {title, body, url, ttl, urgency}
  attempts        int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  claimed_until   timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX push_jobs_due ON push_jobs (next_attempt_at, id);

-- What a job already did for a subscription, committed right after the push service answered: a job that is
-- retried (or retaken after a crash) skips these. outcome: sent | rejected (a 4xx other than 404/410/429).
CREATE TABLE push_job_deliveries (
  job_id          bigint NOT NULL REFERENCES push_jobs (id) ON DELETE CASCADE,
  subscription_id bigint NOT NULL REFERENCES push_subscriptions (id) ON DELETE CASCADE,
  outcome         text NOT NULL,
  done_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (job_id, subscription_id)
);
CREATE INDEX push_job_deliveries_subscription ON push_job_deliveries (subscription_id);
