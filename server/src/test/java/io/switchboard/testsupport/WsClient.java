package io.switchboard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A raw protocol client for tests: real WebSocket, JSON lines in and out. Every received line is kept in
 * order, so tests can assert what came before what. Blocking waits happen on the test thread only.
 */
public final class WsClient implements AutoCloseable {
  private static final long WAIT_MS = 10_000;

  private final WebSocketClient client;
  private final WebSocket ws;
  /** Received but not yet taken by a {@link #next} call, in arrival order. */
  private final java.util.LinkedList<JsonObject> unconsumed = new java.util.LinkedList<>();
  /** Raw text frames as received (to check newline batching). */
  public final List<String> rawFrames = java.util.Collections.synchronizedList(new ArrayList<>());
  private final CompletableFuture<Short> closed = new CompletableFuture<>();
  private volatile String closeReason;
  private final AtomicLong ids = new AtomicLong();
  private final List<JsonObject> seen = java.util.Collections.synchronizedList(new ArrayList<>());

  private WsClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(text -> {
      rawFrames.add(text);
      for (String line : text.split("\n")) {
        if (!line.isBlank()) {
          JsonObject o = new JsonObject(line);
          seen.add(o);
          synchronized (unconsumed) {
            unconsumed.add(o);
            unconsumed.notifyAll();
          }
        }
      }
    });
    ws.closeHandler(v -> {
      closeReason = ws.closeReason();
      closed.complete(ws.closeStatusCode());
    });
  }

  public static WsClient open(Vertx vertx, String url) throws Exception {
    return open(vertx, url, null);
  }

  public static WsClient open(Vertx vertx, String url, String origin) throws Exception {
    return openWithHeaders(vertx, url, origin == null ? java.util.Map.of() : java.util.Map.of("Origin", origin));
  }

  /** With these headers on the upgrade request (a Cookie, for the connect proxy). */
  public static WsClient openWithHeaders(Vertx vertx, String url, java.util.Map<String, String> headers)
      throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocketConnectOptions opts = new WebSocketConnectOptions().setAbsoluteURI(url);
    headers.forEach(opts::addHeader);
    // Handlers first, then the upgrade: a server may write its first message (a uni connect reply, a Pusher
    // connection_established) together with the 101, before a handler set after connect() would be there.
    io.vertx.core.http.ClientWebSocket ws = client.webSocket();
    WsClient c = new WsClient(client, ws);
    ws.connect(opts).toCompletionStage().toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
    return c;
  }

  /** Stops reading from the socket, as a stuck client would. */
  public void pause() {
    ws.pause();
  }

  public void resume() {
    ws.resume();
  }

  public long nextId() {
    return ids.incrementAndGet();
  }

  public void sendRaw(String text) {
    ws.writeTextMessage(text);
  }

  /** Sends {@code {"id":N,"<method>":params}} and returns N. */
  public long send(String method, JsonObject params) {
    long id = nextId();
    sendRaw(new JsonObject().put("id", id).put(method, params).encode());
    return id;
  }

  /** Sends a command and waits for its reply (result or error). */
  public JsonObject call(String method, JsonObject params) throws InterruptedException {
    long id = send(method, params);
    return reply(id);
  }

  public JsonObject connect(String token) throws InterruptedException {
    JsonObject r = call("connect", new JsonObject().put("token", token));
    assertThat(r.containsKey("connect")).as("connect reply %s", r).isTrue();
    return r.getJsonObject("connect");
  }

  public JsonObject subscribe(String channel) throws InterruptedException {
    JsonObject r = call("subscribe", new JsonObject().put("channel", channel));
    assertThat(r.containsKey("subscribe")).as("subscribe reply %s", r).isTrue();
    return r.getJsonObject("subscribe");
  }

  public JsonObject reply(long id) throws InterruptedException {
    return next(o -> o.getLong("id", 0L) == id);
  }

  /**
   * Takes the oldest received message matching {@code p}, waiting for one if needed. Messages that don't
   * match stay for later calls, so waiting for a reply never loses a push that came before it.
   */
  public JsonObject next(Predicate<JsonObject> p) throws InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    synchronized (unconsumed) {
      while (true) {
        for (java.util.Iterator<JsonObject> it = unconsumed.iterator(); it.hasNext(); ) {
          JsonObject o = it.next();
          if (p.test(o)) {
            it.remove();
            return o;
          }
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          throw new AssertionError("timed out waiting for a message; seen: " + seen());
        }
        unconsumed.wait(left);
      }
    }
  }

  /** The next publication push of a channel. */
  public JsonObject nextPub(String channel) throws InterruptedException {
    return next(o -> o.containsKey("push") && channel.equals(o.getJsonObject("push").getString("channel"))
        && o.getJsonObject("push").containsKey("pub")).getJsonObject("push").getJsonObject("pub");
  }

  /** Nothing matching is received within {@code ms} (among messages not yet taken). */
  public void expectNone(Predicate<JsonObject> p, long ms) throws InterruptedException {
    Thread.sleep(ms);
    synchronized (unconsumed) {
      for (JsonObject o : unconsumed) {
        if (p.test(o)) {
          throw new AssertionError("unexpected message " + o);
        }
      }
    }
  }

  /** Answers the server's pings for {@code ms}, as a live client would. */
  public void answerPingsFor(long ms) throws InterruptedException {
    long deadline = System.currentTimeMillis() + ms;
    while (System.currentTimeMillis() < deadline && !isClosed()) {
      synchronized (unconsumed) {
        for (java.util.Iterator<JsonObject> it = unconsumed.iterator(); it.hasNext(); ) {
          if (it.next().isEmpty()) {
            it.remove();
            sendRaw("{}");
          }
        }
        unconsumed.wait(50);
      }
    }
  }

  public List<JsonObject> seen() {
    synchronized (seen) {
      return new ArrayList<>(seen);
    }
  }

  /** Waits for the server to close the connection; returns the close code. */
  public short awaitClose() throws Exception {
    return closed.get(WAIT_MS, TimeUnit.MILLISECONDS);
  }

  public short awaitClose(long ms) throws Exception {
    return closed.get(ms, TimeUnit.MILLISECONDS);
  }

  public String closeReason() {
    return closeReason;
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      ws.close();
    }
    client.close();
  }
}
