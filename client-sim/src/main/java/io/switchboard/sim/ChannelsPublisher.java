package io.switchboard.sim;

import io.vertx.core.Future;
import io.vertx.core.Promise;
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
  private final Vertx vertx;
  private final ApiClient api;
  private final List<String> channels;
  private final int batch;
  private final int maxInFlight;
  private final int payloadBytes;
  private final Pacer pacer;
  private final PubStats stats = new PubStats();
  private long due;
  private int cursor;
  private int inFlight;
  private long seq;
  private boolean stopped;
  private Promise<Void> idle;

  public ChannelsPublisher(Vertx vertx, ApiClient api, List<String> channels, double rate, int batch,
                           int maxInFlight, int payloadBytes) {
    this.vertx = vertx;
    this.api = api;
    this.channels = List.copyOf(channels);
    this.batch = Math.max(1, batch);
    this.maxInFlight = Math.max(1, maxInFlight);
    this.payloadBytes = payloadBytes;
    this.pacer = new Pacer(vertx, rate, n -> {
      due += n;
      pump();
    });
  }

  @Override
  public void start() {
    pacer.start();
  }

  @Override
  public PubStats stats() {
    return stats;
  }

  private void pump() {
    while (!stopped && due > 0 && inFlight < maxInFlight) {
      int n = (int) Math.min(Math.min(batch, due), channels.size());
      due -= n;
      JsonArray chs = new JsonArray();
      for (int i = 0; i < n; i++) {
        chs.add(channels.get(cursor));
        cursor = (cursor + 1) % channels.size();
      }
      send(chs);
    }
  }

  private void send(JsonArray chs) {
    inFlight++;
    long t0 = SimClock.nowMicros();
    JsonObject data = new JsonObject(Wire.payload(t0, ++seq, payloadBytes));
    stats.sent.add(chs.size());
    api.call("broadcast", new JsonObject().put("channels", chs).put("data", data)).onComplete(ar -> {
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
      inFlight--;
      if (stopped && inFlight == 0 && idle != null) {
        idle.tryComplete();
      }
      pump();
    });
  }

  @Override
  public Future<Void> stop(long timeoutMs) {
    Promise<Void> p = Promise.promise();
    pacer.stop();
    vertx.runOnContext(v -> {
      stopped = true;
      if (inFlight == 0) {
        p.tryComplete();
      } else {
        idle = p;
        vertx.setTimer(timeoutMs, id -> p.tryComplete());
      }
    });
    return p.future();
  }
}
