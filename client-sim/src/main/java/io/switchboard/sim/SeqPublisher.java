package io.switchboard.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Publishes into one channel at a fixed rate through the API, each payload carrying its send time and a
 * sequence number. Calls never overlap, so publications reach the server in sequence order: what is due while a
 * call is in flight goes in the next call, as one {@code batch} (commands run in order).
 */
public final class SeqPublisher implements Publisher {
  static final int MAX_BATCH = 100;

  private final ApiClient api;
  private final String channel;
  /** The subscribers' name of the channel, under which its top is reported (the same but for Pusher clients). */
  private final String reported;
  private final int payloadBytes;
  private final PacedCalls calls;
  private final PubStats stats = new PubStats();
  private long seq;

  public SeqPublisher(Vertx vertx, ApiClient api, String channel, double rate, int payloadBytes) {
    this(vertx, api, channel, channel, rate, payloadBytes);
  }

  /** Publishing into {@code channel}, which its subscribers know as {@code reported} (a Pusher channel's name). */
  public SeqPublisher(Vertx vertx, ApiClient api, String channel, String reported, double rate, int payloadBytes) {
    this.api = api;
    this.channel = channel;
    this.reported = reported;
    this.payloadBytes = payloadBytes;
    this.calls = new PacedCalls(vertx, rate, MAX_BATCH, 1, this::send);
  }

  @Override
  public void start() {
    calls.start();
  }

  @Override
  public PubStats stats() {
    return stats;
  }

  /** The sequence number of the last publication sent. */
  public long lastSeq() {
    return seq;
  }

  /** One {@code publish}, or several in one {@code batch}. */
  private Future<JsonObject> send(int n) {
    long t0 = SimClock.nowMicros();
    Future<JsonObject> call;
    if (n == 1) {
      call = api.call("publish", publish(t0, ++seq));
    } else {
      JsonArray cmds = new JsonArray();
      for (int i = 0; i < n; i++) {
        cmds.add(new JsonObject().put("publish", publish(t0, ++seq)));
      }
      call = api.call("batch", new JsonObject().put("commands", cmds));
    }
    stats.sent.add(n);
    return call.andThen(ar -> {
      stats.call(SimClock.nowMicros() - t0);
      if (ar.failed()) {
        stats.failed.add(n);
        stats.failure(ar.cause());
        stats.unknownTops.add(reported);
      } else if (n == 1) {
        ok(ar.result());
      } else {
        JsonArray replies = ar.result().getJsonArray("replies", new JsonArray());
        for (int i = 0; i < n; i++) {
          JsonObject r = i < replies.size() ? replies.getJsonObject(i) : null;
          if (r == null || r.containsKey("error")) {
            stats.failed.increment();
            stats.unknownTops.add(reported);
          } else {
            ok(r.getJsonObject("publish", new JsonObject()));
          }
        }
      }
    });
  }

  private void ok(JsonObject result) {
    stats.acked.increment();
    long off = result.getLong("offset", 0L);
    // durable channel: the top is the offset; ephemeral: subscribers count by sequence, one per acknowledged call
    stats.top(reported, off > 0 ? off : stats.acked.sum());
  }

  private JsonObject publish(long ts, long s) {
    return new JsonObject().put("channel", channel).put("data", new JsonObject(Wire.payload(ts, s, payloadBytes)));
  }

  @Override
  public Future<Void> stop(long timeoutMs) {
    return calls.stop(timeoutMs);
  }
}
