package io.switchboard.gateway;

import io.switchboard.broker.LoopHub;
import io.switchboard.broker.RecoveryRequest;
import io.switchboard.broker.Subscription;
import io.switchboard.codec.ClientCodec;
import io.switchboard.config.ClientConfig;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.model.ClientInfo;
import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.switchboard.core.Connection;
import io.switchboard.protocol.DisconnectCode;
import io.switchboard.transport.InboundHandler;
import io.switchboard.transport.Transport;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, confined to its event loop, over any {@link Transport}, speaking any codec: the
 * connection's state (connecting, connected, closed), its user and subscriptions, and its timers (stale
 * connect, ping and pong, expiry). Messages it reads go to its {@link CommandQueue}, whose commands run one
 * at a time; replies and pushes go through its {@link OutboundQueue}, flushed once per loop turn.
 */
public final class Session implements Connection, InboundHandler {
  private static final Logger LIFECYCLE = LoggerFactory.getLogger("io.switchboard.gateway.lifecycle");

  enum State { CONNECTING, CONNECTED, CLOSED }

  final GatewayServices services;
  final Transport transport;
  final ClientCodec codec;
  final LoopHub loop;
  final GatewayLoop gateway;
  final String id = ClientIds.next();
  final long createdAt = System.currentTimeMillis();

  State state = State.CONNECTING;
  String user = "";
  String connInfo;
  /** The last ClientInfo made without channel info: one object for all such presence entries of this session. */
  private ClientInfo info;
  /** Epoch seconds when the connection token expires; 0 = never. */
  long expireAt;
  /** Sized for the few subscriptions most connections have (a default table has 16 slots). */
  final Map<String, ActiveSub> subs = new HashMap<>(4);
  /** For the backend proxies, on a node that has any (docs/proxy.md); else null. */
  ProxyState proxy;

  /**
   * Commands (with their rate limit) and output not yet written: each null while a new one would do as well, as
   * on an idle connection nearly all the time. Memory per idle connection limits how many a node can hold.
   */
  private CommandQueue commands;
  private OutboundQueue outbound;

  long nextPingAt;
  /** When the ping now awaiting its pong was queued (or the wait last extended); 0 when no pong is awaited. */
  private long pongAwaitedSince;
  /** When the client was last heard from (any message). */
  long lastReadAt;

  /** A subscription of this session and the namespace options it was made under. */
  record ActiveSub(Subscription sub, NamespaceOptions ns) {}

  Session(GatewayServices services, Transport transport, ClientCodec codec, LoopHub loop, GatewayLoop gateway) {
    this.services = services;
    this.transport = transport;
    this.codec = codec;
    this.loop = loop;
    this.gateway = gateway;
  }

  void start() {
    transport.start(this);
    if (LIFECYCLE.isDebugEnabled()) { // remoteAddress() builds an address object: only when it is logged
      LIFECYCLE.debug("open client={} remote={}", id, transport.remoteAddress());
    }
  }

  CommandQueue commands() {
    if (commands == null) {
      commands = new CommandQueue(this);
    }
    return commands;
  }

  /** Whether reading is paused for commands not yet answered (on this connection or the node). */
  boolean commandsPaused() {
    return commands != null && commands.paused();
  }

  /** The node's client limits (read through the services rather than kept in every connection). */
  ClientConfig limits() {
    return services.limits();
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
    ClientInfo last = info;
    if (chanInfo == null && last != null && last.user() == user && last.connInfo() == connInfo) {
      return last; // the same fields (a refresh may have changed connInfo since)
    }
    ClientInfo made = new ClientInfo(user, id, connInfo, chanInfo);
    info = chanInfo == null ? made : last;
    return made;
  }

  // ---- reading (InboundHandler) ---------------------------------------------------------------------------

  @Override
  public void onText(String message) {
    commands().read(message);
  }

  @Override
  public void onBinary(Buffer message) {
    commands().read(message);
  }

  @Override
  public void onTooBig() {
    disconnect(DisconnectCode.MESSAGE_TOO_BIG);
  }

  @Override
  public void onError(Throwable t) {
    if (state != State.CLOSED) {
      LIFECYCLE.debug("transport error client={}: {}", id, t.toString());
    }
  }

  @Override
  public void onClosed() {
    cleanup("closed by peer");
  }

  void onPong() {
    if (state != State.CONNECTED || pongAwaitedSince == 0) {
      disconnect(DisconnectCode.BAD_REQUEST); // a pong nobody asked for
      return;
    }
    pongAwaitedSince = 0;
  }

  // ---- writing (broker.Subscriber) ------------------------------------------------------------------------

  @Override
  public ClientCodec codec() {
    return codec;
  }

  /** Queues a push (encoded by {@link #codec()}, often once for all its subscribers); held during connect. */
  @Override
  public void deliver(byte[] frame) {
    if (outbound != null && outbound.holdIfHolding(frame)) {
      return;
    }
    write(frame);
  }

  // ---- writing -------------------------------------------------------------------------------------------

  /** Queues a frame; the loop's writer flushes every dirty session once at the end of this turn. */
  void write(byte[] frame) {
    if (state == State.CLOSED) {
      return;
    }
    if (outbound == null) {
      outbound = new OutboundQueue(this);
    }
    outbound.add(frame);
  }

  /** While connect builds its reply, pushes of its server-side subscriptions wait (see {@link #releaseHeld}). */
  void holdPushes() {
    if (outbound == null) {
      outbound = new OutboundQueue(this);
    }
    outbound.hold();
  }

  /** Queues the held pushes behind the connect reply just queued. */
  void releaseHeld() {
    List<byte[]> h = outbound == null ? null : outbound.takeHeld();
    if (h != null) {
      h.forEach(this::write);
    }
    dropIfIdle();
  }

  /** Forgets the held pushes (connect failed). */
  void dropHeld() {
    if (outbound != null) {
      outbound.takeHeld();
      dropIfIdle();
    }
  }

  private void dropIfIdle() {
    if (outbound != null && outbound.idle()) {
      outbound = null;
    }
  }

  /** Called by the loop's writer at the end of the turn in which this session queued output. */
  void flush() {
    OutboundQueue q = outbound;
    if (q != null && !q.flush() && outbound == q) {
      outbound = null;
    }
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
    if (codec.unidirectional() && code >= 3000) {
      write(codec.disconnectPush(code, reason, false)); // a uni client has no close frame to read (uni_sse, …)
    }
    if (outbound != null && outbound.hasFrames() && code != DisconnectCode.SLOW.code) {
      flush();
    }
    outbound = null;
    cleanup(reason);
    services.metrics().disconnected(code);
    LIFECYCLE.debug("disconnect client={} user={} code={} reason={}", id, user, code, reason);
    return transport.close((short) code, reason == null || reason.isEmpty() ? "disconnect" : reason);
  }

  private void cleanup(String why) {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasConnected = state == State.CONNECTED;
    state = State.CLOSED;
    if (commands != null) {
      commands.clear();
    }
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
    ClientConfig limits = limits();
    if (commands != null) {
      commands = commands.tick(); // null once idle: a new one acts the same
    }
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
      if (lastReadAt <= pongAwaitedSince && !commandsPaused()) { // paused: its pong may be unread behind commands
        disconnect(DisconnectCode.NO_PONG);
        return;
      }
      // Heard from since the ping, so the connection is alive: its pong is only late, queued behind output on
      // one side or the other. Wait another pong timeout rather than drop a busy client.
      pongAwaitedSince = nowMillis;
    }
    if (expireAt > 0 && proxy != null && proxy.refreshByProxy) {
      ProxyCalls.refreshIfDue(this, nowMillis); // the backend extends it, server-side
    } else if (expireAt > 0 && nowMillis > expireAt * 1000 + limits.expiredCloseDelay().toMillis()) {
      disconnect(DisconnectCode.CONNECTION_EXPIRED);
      return;
    }
    for (ActiveSub a : new ArrayList<>(subs.values())) {
      long exp = a.sub().expireAt;
      if (exp > 0 && nowMillis >= exp * 1000 && ProxyCalls.subRefreshing(this, a)) {
        continue;
      }
      if (exp > 0 && nowMillis > exp * 1000 + limits.expiredCloseDelay().toMillis()) {
        serverUnsubscribe(a.sub().channel, 2501, "subscription expired");
      }
    }
    if (nextPingAt > 0 && nowMillis >= nextPingAt) {
      write(codec.ping());
      if (pongAwaitedSince == 0 && !codec.unidirectional()) { // a uni client never answers
        pongAwaitedSince = nowMillis;
      }
      nextPingAt = nowMillis + limits.pingInterval().toMillis();
    }
  }

  /** Marks the connection established: first ping at a random point in [interval/2, interval]. */
  void connected() {
    state = State.CONNECTED;
    long interval = limits().pingInterval().toMillis();
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

  /**
   * Whether this connection can carry the namespace's data: a binary namespace's publications need a codec
   * of bytes (Protobuf); JSON clients stay out of it (docs/protocol.md, the binary-data rule).
   */
  boolean speaks(NamespaceOptions ns) {
    return !ns.binary() || codec.binary();
  }

  /** Refuses (107) a command on a binary namespace from a JSON client. */
  void checkSpeaks(NamespaceOptions ns) {
    if (!speaks(ns)) {
      throw new CoreException(Failure.BAD_REQUEST, "binary namespace: needs the Protobuf protocol");
    }
  }

  @Override
  public Future<?> serverSubscribe(String channel, NamespaceOptions ns, RecoveryRequest req) {
    return SubscribeCommand.serverSide(this, channel, ns, req);
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
