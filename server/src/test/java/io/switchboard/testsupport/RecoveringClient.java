package io.switchboard.testsupport;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * A client that behaves like the SDKs: subscribed to one channel, it reconnects when its node goes away
 * (to the next URL in turn) and resubscribes with {@code recover:true} from the last offset it saw. It
 * records every publication offset it received, and every subscribe result, for loss/duplicate checks.
 */
public final class RecoveringClient implements AutoCloseable {
  private final Vertx vertx;
  private final WebSocketClient client;
  private final List<String> urls;
  private final String channel;
  private final Supplier<String> token;
  private int next;
  private volatile boolean closed;
  private WebSocket ws;
  private long lastOffset;
  private String epoch = "";
  public final List<Long> offsets = Collections.synchronizedList(new ArrayList<>());
  public final List<JsonObject> subscribeResults = Collections.synchronizedList(new ArrayList<>());
  public final List<Integer> closeCodes = Collections.synchronizedList(new ArrayList<>());

  public RecoveringClient(Vertx vertx, List<String> urls, int first, String channel, Supplier<String> token) {
    this.vertx = vertx;
    this.client = vertx.createWebSocketClient();
    this.urls = urls;
    this.next = first;
    this.channel = channel;
    this.token = token;
    vertx.runOnContext(v -> connect());
  }

  private void connect() {
    if (closed) {
      return;
    }
    String url = urls.get(next++ % urls.size());
    client.connect(new WebSocketConnectOptions().setAbsoluteURI(url)).onComplete(ar -> {
      if (ar.failed()) {
        vertx.setTimer(200, id -> connect());
        return;
      }
      ws = ar.result();
      ws.textMessageHandler(this::onText);
      ws.closeHandler(v -> {
        closeCodes.add((int) (ws.closeStatusCode() == null ? 1006 : ws.closeStatusCode()));
        vertx.setTimer(100 + (long) (Math.random() * 200), id -> connect());
      });
      JsonObject sub = new JsonObject().put("channel", channel);
      synchronized (this) {
        if (lastOffset > 0 || !epoch.isEmpty()) {
          sub.put("recover", true).put("offset", lastOffset).put("epoch", epoch);
        }
      }
      ws.writeTextMessage(new JsonObject().put("id", 1).put("connect", new JsonObject().put("token", token.get())).encode()
          + "\n" + new JsonObject().put("id", 2).put("subscribe", sub).encode());
    });
  }

  private void onText(String text) {
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonObject o = new JsonObject(line);
      if (o.isEmpty()) {
        ws.writeTextMessage("{}"); // pong
      } else if (o.getLong("id", 0L) == 2 && o.containsKey("subscribe")) {
        JsonObject r = o.getJsonObject("subscribe");
        subscribeResults.add(r);
        synchronized (this) {
          epoch = r.getString("epoch", epoch);
          if (!r.getBoolean("was_recovering", false)) {
            lastOffset = Math.max(lastOffset, r.getLong("offset", 0L));
          }
          if (r.containsKey("publications")) {
            for (Object p : r.getJsonArray("publications")) {
              record(((JsonObject) p).getLong("offset"));
            }
          }
        }
      } else if (o.containsKey("push") && o.getJsonObject("push").containsKey("pub")
          && channel.equals(o.getJsonObject("push").getString("channel"))) {
        synchronized (this) {
          record(o.getJsonObject("push").getJsonObject("pub").getLong("offset"));
        }
      }
    }
  }

  private void record(long offset) {
    offsets.add(offset);
    lastOffset = Math.max(lastOffset, offset);
  }

  /** Subscribe results that came back with {@code recovered:false} although recovery was asked. */
  public long failedRecoveries() {
    synchronized (subscribeResults) {
      return subscribeResults.stream()
          .filter(r -> r.getBoolean("was_recovering", false) && !r.getBoolean("recovered", false)).count();
    }
  }

  public synchronized long lastOffset() {
    return lastOffset;
  }

  @Override
  public void close() {
    closed = true;
    vertx.runOnContext(v -> {
      if (ws != null) {
        ws.close();
      }
      client.close();
    });
  }
}
