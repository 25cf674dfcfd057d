package io.switchboard.sim;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One simulated client. It lives on one event loop (its {@link LoopDriver}'s) and is never touched from another
 * thread. It connects with a token, subscribes, checks every publication against its channel's
 * {@link SeqTracker}, answers pings, publishes when its driver asks, and reconnects with recovery when its plan
 * says so. Its {@link ClientWire} (JSON or Protobuf, per connection) frames what it sends and turns what it reads
 * into the {@link WireEvents} below, so every protocol is accounted the same way.
 */
final class SimConnection implements WireEvents {

  /** One checked channel: its tracker (null until the subscribe or connect reply) and its epoch. */
  static final class Sub {
    SeqTracker tracker;
    String epoch = "";
  }

  final int index;
  final ConnPlan plan;
  private final LoopDriver driver;
  private final ClientWire wire;
  private final Map<String, Sub> subs = new LinkedHashMap<>();
  private final Map<Long, Pending> pending = new HashMap<>(4);
  private SimSocket ws;
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
    this.wire = driver.config.protocol() == Protocol.PUSHER ? new PusherClientWire()
        : driver.config.protocol().protobuf(index) ? ProtobufClientWire.INSTANCE : JsonClientWire.INSTANCE;
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
      if (p.kind() == PUBLISH) {
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
    Future<SimSocket> connecting;
    if (driver.config.leanClient()) {
      connecting = LeanWebSocket.connect(driver.netClientFor(index), url.getHost(), url.getPort(),
          requestUri(url, wire.query()), driver.config.connectTimeout().toMillis());
    } else {
      WebSocketClient client = driver.clientFor(index);
      WebSocketConnectOptions o = new WebSocketConnectOptions()
          .setHost(url.getHost())
          .setPort(url.getPort())
          .setURI(requestUri(url, wire.query()))
          .setAllowOriginHeader(false)
          .setConnectTimeout(driver.config.connectTimeout().toMillis())
          .setTimeout(driver.config.connectTimeout().toMillis());
      connecting = client.connect(o).map(SimSocket::of);
    }
    long myAttempt = ++attempt;
    timer = driver.vertx().setTimer(driver.config.connectTimeout().toMillis() + 1000, id -> {
      timer = -1;
      if (attempt == myAttempt && !ready && !done) {
        failAttempt("timeout");
      }
    });
    connecting.onComplete(ar -> {
      if (attempt != myAttempt || done) {
        if (ar.succeeded()) {
          ar.result().close((short) 1000, "late");
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

  /** The path and query to open: the URL's, plus the protocol's selection parameter if it has one. */
  static String requestUri(URI url, String protocolQuery) {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    String q = url.getRawQuery();
    if (protocolQuery != null) {
      q = q == null || q.isEmpty() ? protocolQuery : q + "&" + protocolQuery;
    }
    return q == null || q.isEmpty() ? path : path + "?" + q;
  }

  boolean protobuf() {
    return wire == ProtobufClientWire.INSTANCE;
  }

  private void attach(SimSocket socket) {
    ws = socket;
    driver.metrics.open.incrementAndGet();
    wire.attach(socket, this);
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
    long connectId = nextId++;
    pending.put(connectId, new Pending(CONNECT, null, 0));
    ClientWire.SubscribeCmd personal = null;
    if (plan.personal() != null) {
      Sub p = subs.get(plan.personal());
      if (p.tracker != null) {
        personal = new ClientWire.SubscribeCmd(0, plan.personal(), true, p.tracker.contiguous(), p.epoch);
      }
    }
    awaiting = 1;
    List<ClientWire.SubscribeCmd> cmds = new ArrayList<>(plan.channels().size());
    for (String ch : plan.channels()) {
      long id = nextId++;
      pending.put(id, new Pending(SUBSCRIBE, ch, 0));
      Sub s = subs.get(ch);
      boolean recover = s.tracker != null && !s.epoch.isEmpty();
      cmds.add(new ClientWire.SubscribeCmd(id, ch, recover, recover ? s.tracker.contiguous() : 0, s.epoch));
      awaiting++;
    }
    recoveredAll = true;
    wire.handshake(socket, new ClientWire.Handshake(connectId, token, personal, cmds));
  }

  @Override
  public boolean raw() {
    return driver.config.raw();
  }

  @Override
  public String personalChannel() {
    return plan.personal();
  }

  @Override
  public void ping() {
    if (ws != null) {
      wire.pong(ws);
    }
  }

  @Override
  public void publication(String channel, long seq, long sentMicros) {
    Sub s = subs.get(channel == null ? plan.channels().get(0) : channel);
    if (s == null || s.tracker == null) {
      driver.metrics.otherPushes.increment();
      return;
    }
    if (seq > 0) {
      s.tracker.accept(seq);
    }
    if (sentMicros > 0) {
      driver.metrics.latency(SimClock.nowMicros() - sentMicros);
    }
    driver.metrics.delivered.increment();
  }

  @Override
  public void push(int kind) {
    driver.metrics.otherPushes.increment();
    if (kind == PUSH_DISCONNECT) {
      driver.metrics.failure("disconnect push");
    } else if (kind == PUSH_UNSUBSCRIBE) {
      driver.metrics.errors.increment();
      driver.metrics.failure("unsubscribe push");
    }
  }

  @Override
  public Pending replyTo(long id) {
    Pending p = pending.remove(id);
    if (p == null) {
      driver.metrics.errors.increment();
    }
    return p;
  }

  @Override
  public void unreadable(String what) {
    driver.metrics.errors.increment();
    driver.metrics.failure(what);
  }

  @Override
  public void published(Pending p, String error) {
    driver.outstandingPublishes--;
    if (error != null) {
      driver.metrics.publishErrors.increment();
      driver.metrics.failure("publish error " + error);
    } else {
      driver.metrics.acked.increment();
      driver.metrics.ack(SimClock.nowMicros() - p.micros());
    }
  }

  @Override
  public void connected(String error, ClientWire.SubResult personal) {
    if (error != null) {
      failAttempt("connect error " + error);
      return;
    }
    if (!everReady) {
      driver.metrics.handshake((System.nanoTime() - attemptNanos) / 1_000);
    }
    if (plan.personal() != null) {
      if (personal == null) {
        failAttempt("personal channel not announced");
        return;
      }
      applySubscribeResult(plan.personal(), personal);
    }
    replyArrived();
  }

  @Override
  public void subscribed(String channel, String error, ClientWire.SubResult result) {
    if (error != null) {
      failAttempt("subscribe error " + error);
      return;
    }
    applySubscribeResult(channel, result);
    replyArrived();
  }

  /** Starts or continues the channel's tracker from a SubscribeResult (with recovered publications if any). */
  private void applySubscribeResult(String channel, ClientWire.SubResult r) {
    Sub s = subs.get(channel);
    if (s.tracker == null) {
      s.tracker = new SeqTracker(r.offset());
      s.epoch = r.epoch();
      return;
    }
    if (!r.wasRecovering()) {
      return; // an ephemeral channel: nothing to recover, gaps stay lost
    }
    if (!r.recovered()) {
      recoveredAll = false;
      s.tracker.restartAt(r.offset());
      s.epoch = r.epoch();
      return;
    }
    for (long off : r.publicationOffsets()) {
      if (off > 0) {
        s.tracker.accept(off);
      }
      driver.metrics.recoveredPubs.increment();
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
      if (protobuf()) {
        driver.metrics.protobufOk.increment();
      }
      driver.attemptFinished();
    } else if (disconnectedAtMicros > 0) {
      if (recoveredAll) {
        driver.metrics.recovered.increment();
      } else {
        driver.metrics.notRecovered.increment();
      }
      driver.metrics.recovery(now - disconnectedAtMicros);
      driver.metrics.backAt(now);
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
    wire.publish(ws, id, plan.publishChannel(), Wire.payload(now, ++pubSeq, driver.config.payloadBytes()));
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

  private void onClose(SimSocket socket) {
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

  private static String closeSuffix(SimSocket socket) {
    Short code = socket.closeStatusCode();
    return code == null ? "" : " " + code;
  }

  private void scheduleReconnect(int failures) {
    if (!plan.reconnect() || done) {
      return;
    }
    long delay = reconnectDelay(driver.config, failures);
    driver.vertx().setTimer(Math.max(1, delay), id -> {
      if (!done && ws == null) {
        open();
        reconnectFailures = failures;
      }
    });
  }

  private int reconnectFailures;

  /**
   * The wait before reconnect attempt {@code failures} (1 = the first after a close). With {@code sdkBackoff},
   * centrifuge-js's: full jitter, {@code 500 + random(0, min(20000, 500 * 2^step))} ms capped at 20 s, the step
   * counting the attempts since the last successful connect.
   */
  static long reconnectDelay(EngineConfig config, int failures) {
    if (config.sdkBackoff()) {
      int step = Math.min(31, failures - 1);
      long window = Math.min(20_000L, 500L << Math.min(step, 20));
      return Math.min(20_000L, 500L + (long) (Math.random() * (window + 1)));
    }
    long min = config.reconnectDelayMin().toMillis();
    long max = Math.max(min, config.reconnectDelayMax().toMillis());
    return Math.min(5_000, (min + (long) (Math.random() * (max - min + 1))) << Math.min(4, failures - 1));
  }

  private void failAttempt(String reason) {
    cancelTimer();
    dropPendingPublishes();
    SimSocket socket = ws;
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
