package io.switchboard.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Publishes at a fixed total rate into many durable channels, round-robin, through the API's {@code broadcast}
 * (up to {@code batch} channels per call, a bounded number of calls in flight). Offsets come from the server, so
 * calls may overlap; the top of each channel is learnt from the answers.
 */
public final class ChannelsPublisher implements Publisher {
  private final ApiClient api;
  private final List<String> channels;
  private final int payloadBytes;
  private final PacedCalls calls;
  private final PubStats stats = new PubStats();
  private int cursor;
  private long seq;

  public ChannelsPublisher(Vertx vertx, ApiClient api, List<String> channels, double rate, int batch,
                           int maxInFlight, int payloadBytes) {
    this.api = api;
    this.channels = List.copyOf(channels);
    this.payloadBytes = payloadBytes;
    this.calls = new PacedCalls(vertx, rate, Math.min(Math.max(1, batch), this.channels.size()), maxInFlight,
        this::send);
  }

  @Override
  public void start() {
    calls.start();
  }

  @Override
  public PubStats stats() {
    return stats;
  }

  /** One {@code broadcast} into the next {@code n} channels, round-robin. */
  private Future<JsonObject> send(int n) {
    JsonArray chs = new JsonArray();
    for (int i = 0; i < n; i++) {
      chs.add(channels.get(cursor));
      cursor = (cursor + 1) % channels.size();
    }
    long t0 = SimClock.nowMicros();
    JsonObject data = new JsonObject(Wire.payload(t0, ++seq, payloadBytes));
    stats.sent.add(chs.size());
    return api.call("broadcast", new JsonObject().put("channels", chs).put("data", data)).andThen(ar -> {
      stats.call(SimClock.nowMicros() - t0);
      if (ar.failed()) {
        stats.failed.add(chs.size());
        stats.failure(ar.cause());
        chs.forEach(ch -> stats.unknownTops.add((String) ch));
      } else {
        JsonArray responses = ar.result().getJsonArray("responses", new JsonArray());
        for (int i = 0; i < chs.size(); i++) {
          JsonObject r = i < responses.size() ? responses.getJsonObject(i) : null;
          JsonObject result = r == null ? null : r.getJsonObject("result");
          if (result == null) {
            stats.failed.increment();
            stats.unknownTops.add(chs.getString(i));
          } else {
            stats.acked.increment();
            stats.top(chs.getString(i), result.getLong("offset", 0L));
          }
        }
      }
    });
  }

  @Override
  public Future<Void> stop(long timeoutMs) {
    return calls.stop(timeoutMs);
  }
}
