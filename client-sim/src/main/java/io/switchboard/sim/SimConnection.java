package io.switchboard.sim;

import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One simulated client. It lives on one event loop (its {@link LoopDriver}'s) and is never touched from another
 * thread. It connects with a token, subscribes, checks every publication against its channel's
 * {@link SeqTracker}, answers pings, publishes when its driver asks, and reconnects with recovery when its plan
 * says so.
 */
final class SimConnection {
  private static final int CONNECT = 0;
  private static final int SUBSCRIBE = 1;
  private static final int PUBLISH = 2;

  private record Pending(int kind, String channel, long micros) {}

  /** One checked channel: its tracker (null until the subscribe or connect reply) and its epoch. */
  static final class Sub {
    SeqTracker tracker;
    String epoch = "";
  }

  final int index;
  final ConnPlan plan;
  private final LoopDriver driver;
  private final Map<String, Sub> subs = new LinkedHashMap<>();
  private final Map<Long, Pending> pending = new HashMap<>(4);
  private WebSocket ws;
  private int attempt;
  private long nextId = 1;
  private boolean ready;
  private boolean everReady;
  private boolean done;
  private int awaiting;
  private long attemptNanos;
  private long disconnectedAtMicros;
  private long timer = -1;
  private boolean recoveredAll;
  private long pubSeq;
  /**
   * The connection token, minted when the driver starts, before the ramp: a real client gets its token from
   * the application beforehand, and signing here per attempt cost the storm client CPU it needs for
   * handshakes. Valid for a day, so reconnects reuse it.
   */
  private final String token;

  SimConnection(LoopDriver driver, int index, ConnPlan plan) {
    this.driver = driver;
    this.index = index;
    this.plan = plan;
    this.token = driver.jwt == null ? null : driver.jwt.token(plan.user(), System.currentTimeMillis() / 1000 + 86_400);
    for (String ch : plan.channels()) {
      subs.put(ch, new Sub());
    }
    if (plan.personal() != null) {
      subs.put(plan.personal(), new Sub());
    }
  }

  Map<String, Sub> subs() {
    return subs;
  }

  boolean ready() {
    return ready;
  }

  int pendingPublishes() {
    int n = 0;
    for (Pending p : pending.values()) {
      if (p.kind == PUBLISH) {
        n++;
      }
    }
    return n;
  }

  void open() {
    Metrics m = driver.metrics;
    long now = SimClock.nowMicros();
    if (everReady) {
      m.reconnects.increment();
    } else {
      m.attemptStarted(now);
    }
    attemptNanos = System.nanoTime();
    URI url = pickUrl(driver.config.urls(), driver.config.pinFirstUrl(), index, attempt);
    WebSocketClient client = driver.clientFor(index);
    WebSocketConnectOptions o = new WebSocketConnectOptions()
        .setHost(url.getHost())
        .setPort(url.getPort())
        .setURI(url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
        .setAllowOriginHeader(false)
        .setConnectTimeout(driver.config.connectTimeout().toMillis())
        .setTimeout(driver.config.connectTimeout().toMillis());
    long myAttempt = ++attempt;
    timer = driver.vertx().setTimer(driver.config.connectTimeout().toMillis() + 1000, id -> {
      timer = -1;
      if (attempt == myAttempt && !ready && !done) {
        failAttempt("timeout");
      }
    });
    client.connect(o).onComplete(ar -> {
      if (attempt != myAttempt || done) {
        if (ar.succeeded()) {
          ar.result().close();
        }
        return;
      }
      if (ar.failed()) {
        failAttempt("handshake: " + shortReason(ar.cause()));
      } else {
        attach(ar.result());
      }
    });
  }

  /** The node of attempt {@code attempt} (0 = the first connection) of connection {@code index}. */
  static URI pickUrl(java.util.List<URI> urls, boolean pinFirst, int index, int attempt) {
    int n = urls.size();
    if (pinFirst && n > 1) {
      return attempt == 0 ? urls.get(0) : urls.get(1 + (index + attempt) % (n - 1));
    }
    return urls.get((index + attempt) % n);
  }

  private void attach(WebSocket socket) {
    ws = socket;
    driver.metrics.open.incrementAndGet();
    socket.textMessageHandler(this::onText);
    socket.exceptionHandler(t -> driver.metrics.errors.increment());
    socket.closeHandler(v -> onClose(socket));
    if (driver.config.raw()) {
      for (Sub s : subs.values()) {
        if (s.tracker == null) {
          s.tracker = new SeqTracker(0);
        }
      }
      becameReady();
      return;
    }
    StringBuilder frame = new StringBuilder(256);
    long connectId = nextId++;
    pending.put(connectId, new Pending(CONNECT, null, 0));
    String recoverSubs = null;
    if (plan.personal() != null) {
      Sub p = subs.get(plan.personal());
      if (p.tracker != null) {
        recoverSubs = "{\"" + Wire.escape(plan.personal()) + "\":" + Wire.recoverEntry(p.tracker.contiguous(), p.epoch)
            + "}";
      }
    }
    frame.append(Wire.connect(connectId, token, recoverSubs));
    awaiting = 1;
    for (String ch : plan.channels()) {
      long id = nextId++;
      pending.put(id, new Pending(SUBSCRIBE, ch, 0));
      Sub s = subs.get(ch);
      frame.append('\n').append(s.tracker == null || s.epoch.isEmpty()
          ? Wire.subscribe(id, ch) : Wire.subscribeRecover(id, ch, s.tracker.contiguous(), s.epoch));
      awaiting++;
    }
    recoveredAll = true;
    socket.writeTextMessage(frame.toString());
  }

  private void onText(String text) {
    int from = 0;
    while (true) {
      int nl = text.indexOf('\n', from);
      String line = nl < 0 ? (from == 0 ? text : text.substring(from)) : text.substring(from, nl);
      onLine(line);
      if (nl < 0) {
        return;
      }
      from = nl + 1;
    }
  }

  private void onLine(String line) {
    if (line.equals(Wire.PING)) {
      if (ws != null) {
        ws.writeTextMessage(Wire.PING);
      }
      return;
    }
    if (driver.config.raw()) {
      onPub(plan.channels().get(0), line);
      return;
    }
    String ch = Wire.pushChannel(line);
    if (ch != null) {
      if (Wire.isPub(line, ch)) {
        onPub(ch, line);
      } else {
        onOtherPush(ch, line);
      }
      return;
    }
    long id = Wire.replyId(line);
    if (id < 0) {
      onOtherPush(null, line);
      return;
    }
    Pending p = pending.remove(id);
    if (p == null) {
      driver.metrics.errors.increment();
      return;
    }
    switch (p.kind) {
      case PUBLISH -> onPublishReply(p, line);
      case CONNECT -> onConnectReply(new JsonObject(line));
      default -> onSubscribeReply(p.channel, new JsonObject(line));
    }
  }

  private void onPub(String channel, String line) {
    Sub s = subs.get(channel);
    if (s == null || s.tracker == null) {
      driver.metrics.otherPushes.increment();
      return;
    }
    long off = Wire.offset(line);
    long seq = off > 0 ? off : Wire.sequence(line);
    if (seq > 0) {
      s.tracker.accept(seq);
    }
    long ts = Wire.timestamp(line);
    if (ts > 0) {
      driver.metrics.latency(SimClock.nowMicros() - ts);
    }
    driver.metrics.delivered.increment();
  }

  private void onOtherPush(String channel, String line) {
    driver.metrics.otherPushes.increment();
    if (channel == null && line.contains("\"disconnect\"")) {
      driver.metrics.failure("disconnect push");
    } else if (channel != null && line.contains("\"unsubscribe\":{")) {
      driver.metrics.errors.increment();
      driver.metrics.failure("unsubscribe push");
    }
  }

  private void onPublishReply(Pending p, String line) {
    driver.outstandingPublishes--;
    if (line.contains("\"error\"")) {
      driver.metrics.publishErrors.increment();
      driver.metrics.failure("publish error " + errorCode(new JsonObject(line)));
    } else {
      driver.metrics.acked.increment();
      driver.metrics.ack(SimClock.nowMicros() - p.micros);
    }
  }

  private void onConnectReply(JsonObject reply) {
    JsonObject err = reply.getJsonObject("error");
    if (err != null) {
      failAttempt("connect error " + err.getValue("code"));
      return;
    }
    if (!everReady) {
      driver.metrics.handshake((System.nanoTime() - attemptNanos) / 1_000);
    }
    JsonObject result = reply.getJsonObject("connect", new JsonObject());
    JsonObject serverSubs = result.getJsonObject("subs");
    if (plan.personal() != null) {
      JsonObject r = serverSubs == null ? null : serverSubs.getJsonObject(plan.personal());
      if (r == null) {
        failAttempt("personal channel not announced");
        return;
      }
      applySubscribeResult(plan.personal(), r);
    }
    replyArrived();
  }

  private void onSubscribeReply(String channel, JsonObject reply) {
    JsonObject err = reply.getJsonObject("error");
    if (err != null) {
      failAttempt("subscribe error " + err.getValue("code"));
      return;
    }
    applySubscribeResult(channel, reply.getJsonObject("subscribe", new JsonObject()));
    replyArrived();
  }

  /** Starts or continues the channel's tracker from a SubscribeResult (with recovered publications if any). */
  private void applySubscribeResult(String channel, JsonObject r) {
    Sub s = subs.get(channel);
    long offset = r.getLong("offset", 0L);
    String epoch = r.getString("epoch", "");
    if (s.tracker == null) {
      s.tracker = new SeqTracker(offset);
      s.epoch = epoch;
      return;
    }
    if (!r.getBoolean("was_recovering", false)) {
      return; // an ephemeral channel: nothing to recover, gaps stay lost
    }
    if (!r.getBoolean("recovered", false)) {
      recoveredAll = false;
      s.tracker.restartAt(offset);
      s.epoch = epoch;
      return;
    }
    JsonArray pubs = r.getJsonArray("publications");
    if (pubs != null) {
      for (int i = 0; i < pubs.size(); i++) {
        JsonObject pub = pubs.getJsonObject(i);
        long off = pub.getLong("offset", 0L);
        if (off > 0) {
          s.tracker.accept(off);
        }
        driver.metrics.recoveredPubs.increment();
      }
    }
  }

  private void replyArrived() {
    if (--awaiting == 0) {
      becameReady();
    }
  }

  private void becameReady() {
    ready = true;
    cancelTimer();
    long now = SimClock.nowMicros();
    if (!everReady) {
      everReady = true;
      if (driver.config.raw()) {
        driver.metrics.handshake((System.nanoTime() - attemptNanos) / 1_000);
      }
      driver.metrics.ready(now);
      driver.attemptFinished();
    } else if (disconnectedAtMicros > 0) {
      if (recoveredAll) {
        driver.metrics.recovered.increment();
      } else {
        driver.metrics.notRecovered.increment();
      }
      driver.metrics.recovery(now - disconnectedAtMicros);
      disconnectedAtMicros = 0;
    }
  }

  /** Sends one publication to the plan's channel (called by the driver's publishing schedule). */
  void publish() {
    if (!ready || ws == null || plan.publishChannel() == null) {
      return;
    }
    long id = nextId++;
    long now = SimClock.nowMicros();
    pending.put(id, new Pending(PUBLISH, plan.publishChannel(), now));
    driver.outstandingPublishes++;
    driver.metrics.sent.increment();
    ws.writeTextMessage(Wire.publish(id, plan.publishChannel(), Wire.payload(now, ++pubSeq, driver.config.payloadBytes())));
  }

  /** Closes the socket as if the network dropped it; the connection then reconnects if its plan says so. */
  void drop() {
    if (ws != null && ready) {
      ws.close((short) 4000, "client-sim drop");
    }
  }

  /** The end of the run: close and never reconnect. */
  void shutdown() {
    done = true;
    cancelTimer();
    if (ws != null) {
      ws.close((short) 1000, "done");
    }
  }

  private void onClose(WebSocket socket) {
    if (socket != ws) {
      return;
    }
    driver.metrics.open.decrementAndGet();
    ws = null;
    dropPendingPublishes();
    if (done) {
      return;
    }
    boolean wasReady = ready;
    ready = false;
    awaiting = 0;
    if (!everReady) {
      failAttempt("closed during handshake" + closeSuffix(socket));
      return;
    }
    if (wasReady) {
      driver.metrics.closedUnexpectedly.increment();
      driver.metrics.failure("closed by the server or network" + closeSuffix(socket));
      if (disconnectedAtMicros == 0) {
        disconnectedAtMicros = SimClock.nowMicros();
      }
    }
    scheduleReconnect(1);
  }

  private static String closeSuffix(WebSocket socket) {
    Short code = socket.closeStatusCode();
    return code == null ? "" : " " + code;
  }

  private void scheduleReconnect(int failures) {
    if (!plan.reconnect() || done) {
      return;
    }
    long min = driver.config.reconnectDelayMin().toMillis();
    long max = Math.max(min, driver.config.reconnectDelayMax().toMillis());
    long delay = Math.min(5_000, (min + (long) (Math.random() * (max - min + 1))) << Math.min(4, failures - 1));
    driver.vertx().setTimer(Math.max(1, delay), id -> {
      if (!done && ws == null) {
        open();
        reconnectFailures = failures;
      }
    });
  }

  private int reconnectFailures;

  private void failAttempt(String reason) {
    cancelTimer();
    dropPendingPublishes();
    WebSocket socket = ws;
    ws = null;
    if (socket != null) {
      driver.metrics.open.decrementAndGet();
      socket.close((short) 1000, "client-sim gave up");
    }
    if (!everReady) {
      driver.metrics.failed.increment();
      driver.metrics.failure(reason);
      done = true;
      driver.attemptFinished();
      return;
    }
    driver.metrics.errors.increment();
    driver.metrics.failure("reconnect: " + reason);
    ready = false;
    scheduleReconnect(reconnectFailures + 1);
  }

  private void dropPendingPublishes() {
    int n = pendingPublishes();
    if (n > 0) {
      driver.outstandingPublishes -= n;
      driver.metrics.publishErrors.add(n);
      driver.metrics.failure("publish unanswered (connection closed)");
    }
    pending.clear();
  }

  private void cancelTimer() {
    if (timer >= 0) {
      driver.vertx().cancelTimer(timer);
      timer = -1;
    }
  }

  private static Object errorCode(JsonObject reply) {
    JsonObject e = reply.getJsonObject("error");
    return e == null ? "?" : e.getValue("code");
  }

  static String shortReason(Throwable t) {
    String m = t.getMessage();
    if (m == null) {
      return t.getClass().getSimpleName();
    }
    // drop addresses and ports so that reasons aggregate
    m = m.replaceAll("[0-9a-zA-Z./-]*:\\d+", "").replaceAll("\\s+", " ").trim();
    return m.length() > 80 ? m.substring(0, 80) : m;
  }
}
