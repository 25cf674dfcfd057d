package io.switchboard.gateway;

import io.switchboard.broker.LoopHub;
import io.switchboard.broker.RecoveryRequest;
import io.switchboard.core.Connection;
import io.switchboard.broker.Subscription;
import io.switchboard.codec.ClientCodec;
import io.switchboard.codec.json.JsonCodec;
import io.switchboard.codec.json.JsonReplies;
import io.switchboard.config.ClientConfig;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.model.ClientInfo;
import io.switchboard.protocol.DisconnectCode;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ReplyError;
import io.switchboard.model.CoreException;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, confined to its event loop. It reads newline-batched commands, runs them strictly
 * one after another (a command starts when the previous one has answered, so connect finishes before the
 * subscribes sent in the same frame), and writes replies and pushes through a coalescing, bounded queue.
 */
public final class Session implements Connection {
  private static final Logger LIFECYCLE = LoggerFactory.getLogger("io.switchboard.gateway.lifecycle");
  private static final Logger LOG = LoggerFactory.getLogger(Session.class);

  enum State { CONNECTING, CONNECTED, CLOSED }

  /** Clients limit message sizes (often to 64 KiB), so coalesced output is cut into messages this big. */
  static final int COALESCE_LIMIT = 60 * 1024;

  final GatewayServices services;
  final ServerWebSocket ws;
  final LoopHub loop;
  private final GatewayLoop gateway;
  private final ClientConfig limits;
  final String id = ClientIds.next();
  final long createdAt = System.currentTimeMillis();

  State state = State.CONNECTING;
  String user = "";
  String connInfo;
  /** Epoch seconds when the connection token expires; 0 = never. */
  long expireAt;
  final Map<String, ActiveSub> subs = new HashMap<>();

  // The command and output queues are empty nearly all the time on an idle connection, so each exists only
  // while it holds something: memory per idle connection is what limits how many one node can hold.
  /** Commands waiting for the one in progress; null when none wait. */
  private ArrayDeque<JsonObject> inbox;
  private boolean busy;

  /** Frames queued for this turn's flush; null when nothing is queued. */
  private List<byte[]> out;
  private boolean dirty;
  private boolean awaitingDrain;
  /** While connect builds its reply, pushes for its server-side subscriptions wait here. */
  private List<byte[]> held;

  long nextPingAt;
  /** When the ping now awaiting its pong was queued (or the wait last extended); 0 when no pong is awaited. */
  private long pongAwaitedSince;
  /** When the client was last heard from (any frame). */
  private long lastReadAt;

  private double tokens;
  private long lastRefill = System.nanoTime();
  private int rejected;

  /** A subscription of this session and the namespace options it was made under. */
  record ActiveSub(Subscription sub, NamespaceOptions ns) {}

  Session(GatewayServices services, ServerWebSocket ws, LoopHub loop, GatewayLoop gateway) {
    this.services = services;
    this.ws = ws;
    this.loop = loop;
    this.gateway = gateway;
    this.limits = services.limits();
    this.tokens = limits.commandBurst();
  }

  void start() {
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(b -> disconnect(DisconnectCode.BAD_REQUEST));
    ws.exceptionHandler(this::onError);
    ws.closeHandler(v -> cleanup("closed by peer"));
    if (LIFECYCLE.isDebugEnabled()) { // remoteAddress() builds an address object: only when it is logged
      LIFECYCLE.debug("open client={} remote={}", id, ws.remoteAddress());
    }
  }

  @Override
  public String clientId() {
    return id;
  }

  @Override
  public String user() {
    return user;
  }

  ClientInfo clientInfo(String chanInfo) {
    return new ClientInfo(user, id, connInfo, chanInfo);
  }

  // ---- reading ------------------------------------------------------------------------------------------

  private void onError(Throwable t) {
    if (t instanceof IllegalStateException && String.valueOf(t.getMessage()).contains("size")) {
      disconnect(DisconnectCode.MESSAGE_TOO_BIG);
    } else if (state != State.CLOSED) {
      LIFECYCLE.debug("transport error client={}: {}", id, t.toString());
    }
  }

  private void onText(String text) {
    if (state == State.CLOSED) {
      return;
    }
    lastReadAt = System.currentTimeMillis();
    if (tooBig(text)) {
      disconnect(DisconnectCode.MESSAGE_TOO_BIG);
      return;
    }
    int start = 0;
    int len = text.length();
    while (start <= len) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? len : nl;
      String line = text.substring(start, end).trim();
      start = end + 1;
      if (line.isEmpty()) {
        if (nl < 0) {
          break;
        }
        continue;
      }
      JsonObject cmd;
      try {
        cmd = new JsonObject(line);
      } catch (DecodeException | ClassCastException e) {
        disconnect(DisconnectCode.BAD_REQUEST);
        return;
      }
      if (cmd.isEmpty()) {
        // A pong does not queue behind commands still waiting for PostgreSQL (a publish awaiting its commit):
        // under load that delay would close a healthy client with 3012.
        onPong();
        if (state == State.CLOSED) {
          return;
        }
      } else {
        if (inbox == null) {
          inbox = new ArrayDeque<>(4);
        }
        inbox.add(cmd);
      }
      if (nl < 0) {
        break;
      }
    }
    pump();
  }

  /** The limit is in bytes of UTF-8; count them only when the characters alone don't decide. */
  private boolean tooBig(String text) {
    int max = limits.maxMessageBytes();
    if (text.length() > max) {
      return true;
    }
    if ((long) text.length() * 3 <= max) {
      return false;
    }
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > max;
  }

  /** Runs queued commands one at a time; a command that completes synchronously lets the next run at once. */
  private void pump() {
    while (!busy && inbox != null && state != State.CLOSED) {
      JsonObject cmd = inbox.poll();
      if (inbox.isEmpty()) {
        inbox = null;
      }
      busy = true;
      Future<Void> done = execute(cmd);
      if (done.isComplete()) {
        busy = false;
      } else {
        done.onComplete(v -> {
          busy = false;
          pump();
        });
        return;
      }
    }
  }

  private Future<Void> execute(JsonObject cmd) {
    Object rawId = cmd.getValue("id");
    long id;
    if (rawId == null) {
      id = 0;
    } else if (rawId instanceof Number n && n.longValue() >= 0 && n.doubleValue() == Math.rint(n.doubleValue())) {
      id = n.longValue();
    } else {
      disconnect(DisconnectCode.BAD_REQUEST);
      return Future.succeededFuture();
    }
    String method = Commands.methodOf(cmd);
    if (method == null) {
      if (id == 0 && cmd.isEmpty() || id == 0 && onlyUnknownKeys(cmd)) {
        onPong();
      } else if (id == 0) {
        disconnect(DisconnectCode.BAD_REQUEST);
      } else {
        countAndReplyError(id, "unknown", ErrorCode.METHOD_NOT_FOUND.error());
      }
      return Future.succeededFuture();
    }
    if (id == 0 && !method.equals("send")) {
      disconnect(DisconnectCode.BAD_REQUEST);
      return Future.succeededFuture();
    }
    if ((state == State.CONNECTING) != method.equals("connect")) {
      disconnect(DisconnectCode.BAD_REQUEST); // a command before connect, or a second connect
      return Future.succeededFuture();
    }
    if (!takeToken()) {
      if (++rejected > limits.commandBurst()) {
        disconnect(DisconnectCode.TOO_MANY_REQUESTS);
      } else if (id > 0) {
        countAndReplyError(id, method, ErrorCode.TOO_MANY_REQUESTS.error());
      }
      return Future.succeededFuture();
    }
    Object params = cmd.getValue(method);
    if (params != null && !(params instanceof JsonObject)) {
      countAndReplyError(id, method, ErrorCode.BAD_REQUEST.error(method + " must be an object"));
      return Future.succeededFuture();
    }
    JsonObject p = params == null ? new JsonObject() : (JsonObject) params;
    Future<JsonObject> result;
    try {
      result = Commands.run(this, method, p);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    if (method.equals("send")) {
      return result.<Void>mapEmpty().recover(t -> Future.succeededFuture());
    }
    return result.<Void>transform(ar -> {
      if (ar.succeeded()) {
        services.metrics().command(method, "ok");
        write(JsonReplies.reply(id, method, ar.result()));
        if (method.equals("connect")) {
          releaseHeld();
        }
      } else {
        onFailure(id, method, ar.cause());
      }
      return Future.succeededFuture();
    });
  }

  private static boolean onlyUnknownKeys(JsonObject cmd) {
    for (String k : cmd.fieldNames()) {
      if (!k.equals("id")) {
        return false;
      }
    }
    return true;
  }

  private void onFailure(long id, String method, Throwable t) {
    if (method.equals("connect")) {
      inbox = null; // nothing after a failed connect in the same frame runs
      held = null;
    }
    if (t instanceof DisconnectException d) {
      services.metrics().command(method, "disconnect");
      disconnect(d.code);
    } else if (t instanceof CoreException c) {
      countAndReplyError(id, method, ErrorCode.reply(c));
    } else {
      LOG.warn("command {} failed for client {}", method, this.id, t);
      countAndReplyError(id, method, ErrorCode.INTERNAL.error());
    }
  }

  private void countAndReplyError(long id, String method, ReplyError error) {
    services.metrics().command(method, "error_" + error.code());
    write(JsonReplies.error(id, error));
  }

  private void onPong() {
    if (state != State.CONNECTED || pongAwaitedSince == 0) {
      disconnect(DisconnectCode.BAD_REQUEST); // a pong nobody asked for
      return;
    }
    pongAwaitedSince = 0;
  }

  private boolean takeToken() {
    long now = System.nanoTime();
    tokens = Math.min(limits.commandBurst(), tokens + (now - lastRefill) * limits.commandRatePerSecond() / 1e9);
    lastRefill = now;
    if (tokens >= 1) {
      tokens -= 1;
      rejected = 0;
      return true;
    }
    return false;
  }

  // ---- writing ------------------------------------------------------------------------------------------

  @Override
  public ClientCodec codec() {
    return JsonCodec.INSTANCE;
  }

  /** Queues a push (encoded by {@link #codec()}, often once for all its subscribers); held during connect. */
  @Override
  public void deliver(byte[] frame) {
    if (held != null) {
      held.add(frame);
      return;
    }
    enqueue(frame);
  }

  /** Queues a frame; the loop's writer flushes every dirty session once at the end of this turn. */
  void write(String frame) {
    enqueue(frame.getBytes(StandardCharsets.UTF_8));
  }

  private void enqueue(byte[] frame) {
    if (state == State.CLOSED) {
      return;
    }
    if (out == null) {
      out = new ArrayList<>(4);
    }
    out.add(frame);
    if (!dirty) {
      dirty = true;
      gateway.markDirty(this);
    }
  }

  void holdPushes() {
    held = new ArrayList<>();
  }

  private void releaseHeld() {
    List<byte[]> h = held;
    held = null;
    if (h != null) {
      h.forEach(this::enqueue);
    }
  }

  /**
   * Writes everything queued as one text frame (commands and pushes joined by newlines). While the socket
   * is not writable, frames stay queued here; past {@code max_outbound_bytes} the client is too slow to
   * keep up and is closed with 3008 (it recovers from history on reconnect). Keeping the backlog here
   * rather than in Netty lets the close frame reach the client right after what it already had.
   */
  void flush() {
    dirty = false;
    if (out == null || state == State.CLOSED || ws.isClosed()) { // the peer may have gone this turn
      out = null;
      return;
    }
    if (ws.writeQueueFull()) {
      if (queuedBytes() > limits.maxOutboundBytes()) {
        out = null;
        disconnect(DisconnectCode.SLOW);
        return;
      }
      if (!awaitingDrain) {
        awaitingDrain = true;
        ws.drainHandler(v -> {
          awaitingDrain = false;
          flush();
        });
      }
      return;
    }
    if (out.size() == 1) {
      ws.writeFrame(TextFrames.of(out.get(0)));
    } else {
      writeCoalesced();
    }
    out = null;
  }

  /** Joins queued frames with newlines into WebSocket messages of at most {@link #COALESCE_LIMIT} bytes. */
  private void writeCoalesced() {
    int start = 0;
    long size = 0;
    for (int i = 0, n = out.size(); i < n; i++) {
      int len = out.get(i).length;
      if (i > start && size + 1 + len > COALESCE_LIMIT) {
        ws.writeFrame(TextFrames.joined(out, start, i));
        start = i;
        size = 0;
      }
      size += (i > start ? 1 : 0) + len;
    }
    ws.writeFrame(TextFrames.joined(out, start, out.size()));
  }

  private long queuedBytes() {
    long n = 0;
    for (int i = 0, size = out.size(); i < size; i++) {
      n += out.get(i).length;
    }
    return n;
  }

  // ---- lifecycle ----------------------------------------------------------------------------------------

  /** Closes with a protocol code; queued output (e.g. an error reply) is written first. */
  public Future<Void> disconnect(DisconnectCode code) {
    return close(code.code, code.reason);
  }

  @Override
  public Future<Void> close(int code, String reason) {
    if (state == State.CLOSED) {
      return Future.succeededFuture();
    }
    if (out != null && code != DisconnectCode.SLOW.code) {
      flush();
    }
    out = null;
    cleanup(reason);
    services.metrics().disconnected(code);
    LIFECYCLE.debug("disconnect client={} user={} code={} reason={}", id, user, code, reason);
    return ws.close((short) code, reason == null || reason.isEmpty() ? "disconnect" : reason);
  }

  private void cleanup(String why) {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasConnected = state == State.CONNECTED;
    state = State.CLOSED;
    inbox = null;
    for (ActiveSub a : new ArrayList<>(subs.values())) {
      dropSubscription(a);
    }
    subs.clear();
    if (wasConnected) {
      loop.removeClient(this);
    }
    gateway.removeSession(this);
    LIFECYCLE.debug("closed client={} user={} ({})", id, user, why);
  }

  /** Leaves a channel: stops pushes, clears presence and tells the others. */
  void dropSubscription(ActiveSub a) {
    subs.remove(a.sub().channel);
    services.core().subscribing().leave(loop, a.sub(), a.ns(), clientInfo(a.sub().chanInfo));
  }

  @Override
  public void serverUnsubscribe(String channel, int code, String reason) {
    ActiveSub a = subs.get(channel);
    if (a == null || state == State.CLOSED) {
      return;
    }
    dropSubscription(a);
    deliver(codec().unsubscribePush(channel, code, reason)); // behind a connect reply still being built
  }

  /** Called once a second by the loop's sweeper: stale connects, pings, pong deadlines and expiry. */
  void tick(long nowMillis) {
    if (state == State.CONNECTING) {
      if (nowMillis - createdAt > limits.staleTimeout().toMillis()) {
        disconnect(DisconnectCode.STALE);
      }
      return;
    }
    if (state != State.CONNECTED) {
      return;
    }
    if (pongAwaitedSince > 0 && nowMillis > pongAwaitedSince + limits.pongTimeout().toMillis()) {
      if (lastReadAt <= pongAwaitedSince) {
        disconnect(DisconnectCode.NO_PONG);
        return;
      }
      // Heard from since the ping, so the connection is alive: its pong is only late, queued behind output on
      // one side or the other. Wait another pong timeout rather than drop a busy client.
      pongAwaitedSince = nowMillis;
    }
    if (expireAt > 0 && nowMillis > expireAt * 1000 + limits.expiredCloseDelay().toMillis()) {
      disconnect(DisconnectCode.CONNECTION_EXPIRED);
      return;
    }
    for (ActiveSub a : new ArrayList<>(subs.values())) {
      long exp = a.sub().expireAt;
      if (exp > 0 && nowMillis > exp * 1000 + limits.expiredCloseDelay().toMillis()) {
        serverUnsubscribe(a.sub().channel, 2501, "subscription expired");
      }
    }
    if (nextPingAt > 0 && nowMillis >= nextPingAt) {
      enqueue(codec().ping());
      if (pongAwaitedSince == 0) {
        pongAwaitedSince = nowMillis;
      }
      nextPingAt = nowMillis + limits.pingInterval().toMillis();
    }
  }

  /** Marks the connection established: first ping at a random point in [interval/2, interval]. */
  void connected() {
    state = State.CONNECTED;
    long interval = limits.pingInterval().toMillis();
    nextPingAt = System.currentTimeMillis() + interval / 2 + ThreadLocalRandom.current().nextLong(interval / 2 + 1);
    loop.addClient(this);
    LIFECYCLE.debug("connect client={} user={}", id, user);
  }

  // ---- server-initiated actions (core.Connection) --------------------------------------------------------

  @Override
  public boolean isConnected() {
    return state == State.CONNECTED;
  }

  @Override
  public boolean hasSubscription(String channel) {
    return subs.containsKey(channel);
  }

  @Override
  public Future<?> serverSubscribe(String channel, NamespaceOptions ns, RecoveryRequest req) {
    boolean joinLeave = ns.forcePushJoinLeave() || ns.joinLeave();
    return SubscribeCommand.subscribe(this, channel, ns, req, joinLeave, null, 0)
        // Runs in the turn the subscription went live, so the push precedes the channel's publications.
        // deliver() (not write) keeps it behind a connect reply still being built. No push when the client
        // left the channel (or closed) while its position was being read: subscribe answers {} then.
        .onSuccess(result -> {
          if (isSubscribed(channel)) {
            deliver(JsonCodec.subscribePush(channel, io.switchboard.codec.json.JsonReplies.subscribe(result)));
          }
        });
  }

  @Override
  public void expireNow() {
    disconnect(DisconnectCode.CONNECTION_EXPIRED);
  }

  @Override
  public void expireAt(long epochSeconds) {
    expireAt = epochSeconds;
  }

  @Override
  public void message(Object data) {
    deliver(codec().messagePush(io.vertx.core.json.Json.encode(data).getBytes(StandardCharsets.UTF_8), true));
  }

  boolean isSubscribed(String channel) {
    ActiveSub a = subs.get(channel);
    return a != null && a.sub().live();
  }
}
