package io.switchboard.outbox;

import io.vertx.sqlclient.Row;

/** A pending row of {@code switchboard_outbox}, as read: {@code data} and {@code tags} are JSON text. */
record OutboxRow(long id, String channel, String data, String idempotencyKey, String tags) {

  static final String COLUMNS = "id, channel, data::text AS data, idempotency_key, tags::text AS tags";

  static OutboxRow of(Row r) {
    return new OutboxRow(r.getLong("id"), r.getString("channel"), r.getString("data"),
        r.getString("idempotency_key"), r.getString("tags"));
  }

  String key() {
    return idempotencyKey == null || idempotencyKey.isEmpty() ? null : idempotencyKey;
  }
}
