-- Mobile push (docs/notifications.md, "Mobile push"). One registry for the devices of every platform, and one
-- durable queue for all of them: the Web Push subscriptions of V4 move into push_devices.

-- A device: an FCM registration token, an APNs device token or a Web Push endpoint (with its keys). A token is
-- one app install or browser profile, so (platform, token) is unique: registering it again, by another user
-- too (a shared phone), moves it to that user.
CREATE TABLE push_devices (
  id         text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  user_id    text NOT NULL,
  platform   text NOT NULL CHECK (platform IN ('fcm', 'apns', 'webpush')),
  token      text NOT NULL,
  p256dh     text,                 -- Web Push only: base64url, 65-byte uncompressed P-256 point
  auth       text,                 -- Web Push only: base64url, 16-byte auth secret
  topics     text[] NOT NULL DEFAULT '{}',
  meta       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(meta) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (platform, token),
  CHECK (platform <> 'webpush' OR (p256dh IS NOT NULL AND auth IS NOT NULL))
);
CREATE INDEX push_devices_user ON push_devices (user_id);
CREATE INDEX push_devices_topics ON push_devices USING gin (topics);

INSERT INTO push_devices (user_id, platform, token, p256dh, auth, created_at, updated_at)
  SELECT user_id, 'webpush', endpoint, p256dh, auth, created_at, created_at FROM push_subscriptions;

-- A job now targets either every device of user_id at send time (an inbox notification: channel and offset
-- set), or the devices listed in device_ids (a send_push_notification, resolved when it was accepted, in chunks).
-- payload is the notification ({title, body, url, data, badge, ttl, urgency, fcm, apns, webpush}); tag is what
-- every resend of it repeats (collapse ids, Web Push Topic); past expire_at it is dropped unsent.
ALTER TABLE push_jobs ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE push_jobs ALTER COLUMN channel DROP NOT NULL;
ALTER TABLE push_jobs ALTER COLUMN "offset" DROP NOT NULL;
ALTER TABLE push_jobs ADD COLUMN device_ids text[];
ALTER TABLE push_jobs ADD COLUMN tag text;
ALTER TABLE push_jobs ADD COLUMN expire_at timestamptz;
UPDATE push_jobs SET tag = channel || ':' || "offset",
  expire_at = created_at + make_interval(secs => COALESCE(NULLIF(payload::jsonb ->> 'ttl', '')::numeric, 86400));
ALTER TABLE push_jobs ALTER COLUMN tag SET NOT NULL;
ALTER TABLE push_jobs ALTER COLUMN expire_at SET NOT NULL;
ALTER TABLE push_jobs ADD CHECK ((user_id IS NULL) <> (device_ids IS NULL));

-- What a job already did for a device (was: per subscription), committed right after the provider answered.
CREATE TABLE push_job_devices (
  job_id    bigint NOT NULL REFERENCES push_jobs (id) ON DELETE CASCADE,
  device_id text NOT NULL REFERENCES push_devices (id) ON DELETE CASCADE,
  outcome   text NOT NULL,         -- sent | rejected | no_provider
  done_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (job_id, device_id)
);
CREATE INDEX push_job_devices_device ON push_job_devices (device_id);
INSERT INTO push_job_devices (job_id, device_id, outcome, done_at)
  SELECT d.job_id, v.id, d.outcome, d.done_at FROM push_job_deliveries d
  JOIN push_subscriptions s ON s.id = d.subscription_id
  JOIN push_devices v ON v.platform = 'webpush' AND v.token = s.endpoint;
DROP TABLE push_job_deliveries;
DROP TABLE push_subscriptions;
