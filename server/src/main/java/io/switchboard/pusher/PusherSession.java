package io.switchboard.pusher;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.broker.RecoveryRequest;
import io.switchboard.codec.ClientCodec;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.config.PusherConfig;
import io.switchboard.core.Connection;
import io.switchboard.transport.InboundHandler;
import io.switchboard.transport.websocket.WebSocketTransport;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
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

/**
 * One Pusher protocol 7 connection on its event loop: the connection_established handshake, ping/pong and the
 * activity timeout, and the events a client sends (subscriptions are {@link PusherSubscriptions}'). Pushes
 * from the broker arrive as frames of {@link PusherCodec}, some with a header saying whom they skip.
 *
 * <p>Output is one event per WebSocket message (Pusher never joins events). The events of one loop turn are
 * queued and written at its end by the loop's one flush task, all in one write (one syscall, not one each);
 * while the socket is not writable they wait here, and past {@code client.max_outbound_bytes} the client is
 * closed with 4200 (it reconnects at once).
 */
final class PusherSession implements Connection, InboundHandler {
  /** After a ping, the client has this long to answer before it is closed with 4201. */
  private static final long PONG_WAIT_MILLIS = 30_000;

  final PusherLoop loop;
  final PusherConfig.App app;
  final String socketId;
  private final WebSocketTransport transport;
  final PusherSubscriptions subscriptions;
  private final ClientEventLimit clientEvents;
  private boolean closed;
  /** The hub's name of the signed-in user (PusherSignin.hubUser), "" before signin. */
  private String user = "";
  private long lastActivity = System.currentTimeMillis();
  private long pingSentAt;
  private ArrayDeque<byte[]> backlog;
  private long backlogBytes;
  /** This turn's events, written by {@link #flush} at its end; null when there are none. */
  private List<ByteBuf> turn;

  PusherSession(PusherLoop loop, ServerWebSocket ws, PusherConfig.App app) {
    this.loop = loop;
    this.app = app;
    ThreadLocalRandom r = ThreadLocalRandom.current();
    this.socketId = r.nextLong(1, 1L << 40) + "." + r.nextLong(1, 1L << 40);
    this.transport = new WebSocketTransport(ws, false);
    this.subscriptions = new PusherSubscriptions(this);
    this.clientEvents = new ClientEventLimit(loop.services.config().clientEventsPerSecond());
  }

  void start() {
    transport.start(this);
    if (app == null) {
      write(PusherEvents.error(PusherErrors.APP_NOT_FOUND, "App key not in this server's apps"));
      close(PusherErrors.APP_NOT_FOUND, "app not found");
      return;
    }
    write(PusherEvents.connectionEstablished(socketId, loop.services.config().activityTimeout().toSeconds()));
    loop.hub.addClient(this); // counted in switchboard_connections and the node's stats like any client
  }

  // ---- inbound --------------------------------------------------------------------------------------------

  @Override
  public void onText(String message) {
    if (closed) {
      return;
    }
    lastActivity = System.currentTimeMillis();
    pingSentAt = 0;
    if (message.length() > loop.services.maxMessageBytes()) {
      close(PusherErrors.OVER_CAPACITY, "message too big");
      return;
    }
    JsonObject event;
    try {
      event = new JsonObject(message);
    } catch (DecodeException | ClassCastException e) {
      write(PusherEvents.error(4000, "Not a JSON object with an event"));
      return;
    }
    String name = event.getValue("event") instanceof String s ? s : "";
    switch (name) {
      case "pusher:ping" -> write(PusherEvents.PONG);
      case "pusher:pong" -> { }
      case "pusher:signin" -> signin(data(event));
      case "pusher:subscribe" -> {
        if (!String.valueOf(data(event).getValue("channel")).startsWith(PusherSignin.SERVER_TO_USER_PREFIX)) {
          subscriptions.subscribe(data(event)); // pusher-js asks for its server-to-user channel after signin
        }
      }
      case "pusher:unsubscribe" -> subscriptions.unsubscribe(data(event).getString("channel"));
      default -> {
        if (name.startsWith("client-")) {
          clientEvent(event);
        } else {
          write(PusherEvents.error(4000, "Unknown event '" + name + "'"));
        }
      }
    }
  }

  /** {@code data} as an object; pusher-js sends it as one, some clients as a JSON-encoded string. */
  private static JsonObject data(JsonObject event) {
    Object d = event.getValue("data");
    if (d instanceof JsonObject o) {
      return o;
    }
    if (d instanceof String s) {
      try {
        return new JsonObject(s);
      } catch (DecodeException e) {
        return new JsonObject();
      }
    }
    return new JsonObject();
  }

  /** A signed-in connection is re-registered under its user (terminate_connections finds it there). */
  private void signin(JsonObject data) {
    String id = PusherSignin.userId(this, data);
    if (id == null) {
      write(PusherEvents.error(PusherErrors.UNAUTHORIZED, "Invalid signin"));
      return;
    }
    loop.hub.removeClient(this);
    user = PusherSignin.hubUser(app.id(), id);
    loop.hub.addClient(this);
    write(PusherSignin.success(data.getString("user_data")));
  }

  private void clientEvent(JsonObject event) {
    String channel = event.getValue("channel") instanceof String s ? s : "";
    if (!app.enableClientMessages()) {
      write(PusherEvents.error(PusherErrors.CLIENT_EVENT_REJECTED, "Client events are not enabled for this app"));
    } else if (!PusherChannels.needsAuth(channel)) {
      write(PusherEvents.error(PusherErrors.CLIENT_EVENT_REJECTED,
          "Client events are only for private and presence channels"));
    } else if (!clientEvents.take(System.nanoTime())) {
      write(PusherEvents.error(PusherErrors.CLIENT_EVENT_REJECTED, "Client event rejected: rate limit"));
    } else {
      subscriptions.clientEvent(channel, event.getString("event"), event.getValue("data"));
    }
  }

  @Override
  public void onBinary(Buffer message) {
    close(4000, "Pusher messages are text");
  }

  @Override
  public void onTooBig() {
    close(PusherErrors.OVER_CAPACITY, "message too big");
  }

  @Override
  public void onError(Throwable t) {
    // the close handler follows if the socket is gone
  }

  @Override
  public void onClosed() {
    if (!closed) {
      closed = true;
      end();
    }
  }

  private void end() {
    subscriptions.leaveAll();
    loop.hub.removeClient(this);
    backlog = null;
    loop.removeSession(this);
  }

  /** Called every second by the loop: ping a silent client, close one that did not answer. */
  void tick(long now) {
    if (closed || app == null) {
      return;
    }
    if (pingSentAt != 0) {
      if (now - pingSentAt > PONG_WAIT_MILLIS) {
        close(PusherErrors.PONG_NOT_RECEIVED, "Pong reply not received");
      }
    } else if (now - lastActivity > loop.services.config().activityTimeout().toMillis()) {
      pingSentAt = now;
      write(PusherEvents.PING);
    }
  }

  // ---- outbound -------------------------------------------------------------------------------------------

  /** Writes one event, or queues it while the socket is not writable (bounded). */
  void write(byte[] frame) {
    write(frame, 0);
  }

  private void write(byte[] frame, int offset) {
    if (closed || transport.isClosed()) {
      return;
    }
    if (backlog == null && !transport.writeQueueFull()) {
      if (turn == null) {
        turn = new ArrayList<>(2);
        loop.markDirty(this);
      }
      turn.add(Unpooled.wrappedBuffer(frame, offset, frame.length - offset));
      return;
    }
    byte[] copy = offset == 0 ? frame : java.util.Arrays.copyOfRange(frame, offset, frame.length);
    if (backlog == null) {
      backlog = new ArrayDeque<>();
      transport.drainHandler(this::drain);
    }
    backlog.add(copy);
    backlogBytes += copy.length;
    if (backlogBytes > loop.services.maxOutboundBytes()) {
      backlog = null;
      close(PusherErrors.RECONNECT, "Too slow to keep up: reconnect");
    }
  }

  /** Writes this turn's events: one message as it is, several in one write. */
  void flush() {
    List<ByteBuf> out = turn;
    turn = null;
    if (out == null || closed || transport.isClosed()) {
      return;
    }
    if (out.size() == 1) {
      transport.write(out.get(0));
    } else {
      transport.writeAll(out);
    }
  }

  private void drain() {
    ArrayDeque<byte[]> queued = backlog;
    backlog = null;
    backlogBytes = 0;
    while (queued != null && !queued.isEmpty()) {
      write(queued.poll());
    }
  }

  /** A broker push: skips events not meant for this socket, strips the header of the rest. */
  @Override
  public void deliver(byte[] frame) {
    if (frame.length == 0 || frame[0] == '{') {
      write(frame);
      return;
    }
    int at = 0;
    long position = 0;
    if (frame[0] == PusherCodec.POSITIONED) {
      int end1 = zero(frame, 1);
      int end2 = zero(frame, end1 + 1);
      if (subscriptions.resumes(new String(frame, end1 + 1, end2 - end1 - 1, StandardCharsets.UTF_8))) {
        position = Long.parseLong(new String(frame, 1, end1 - 1, StandardCharsets.US_ASCII));
      }
      at = end2 + 1;
    }
    if (frame[at] == '{') {
      writeEvent(frame, at, position);
      return;
    }
    int end1 = zero(frame, at + 1);
    String first = new String(frame, at + 1, end1 - at - 1, StandardCharsets.UTF_8);
    if (frame[at] == PusherCodec.EXCLUDING) {
      if (!first.equals(socketId)) {
        writeEvent(frame, end1 + 1, position);
      }
      return;
    }
    int end2 = zero(frame, end1 + 1);
    int end3 = zero(frame, end2 + 1);
    if (first.equals(socketId)) {
      return; // Pusher does not tell a member of its own arrival or departure
    }
    String user = new String(frame, end1 + 1, end2 - end1 - 1, StandardCharsets.UTF_8);
    String channel = new String(frame, end2 + 1, end3 - end2 - 1, StandardCharsets.UTF_8);
    if (subscriptions.memberEvent(channel, user, frame[at] == PusherCodec.MEMBER_ADDED)) {
      write(frame, end3 + 1);
    }
  }

  /** The event JSON from {@code offset}, with {@code "switchboard_offset"} added for a resuming subscription. */
  private void writeEvent(byte[] frame, int offset, long position) {
    if (position <= 0) {
      write(frame, offset);
      return;
    }
    byte[] tail = (",\"switchboard_offset\":" + position + "}").getBytes(StandardCharsets.US_ASCII);
    int body = frame.length - offset - 1; // without the closing brace
    byte[] out = new byte[body + tail.length];
    System.arraycopy(frame, offset, out, 0, body);
    System.arraycopy(tail, 0, out, body, tail.length);
    write(out);
  }

  private static int zero(byte[] frame, int from) {
    int i = from;
    while (frame[i] != 0) {
      i++;
    }
    return i;
  }

  // ---- Connection -----------------------------------------------------------------------------------------

  @Override
  public String clientId() {
    return socketId;
  }

  @Override
  public String user() {
    return user;
  }

  @Override
  public ClientCodec codec() {
    return PusherCodec.INSTANCE;
  }

  @Override
  public void serverUnsubscribe(String channel, int code, String reason) {
    subscriptions.serverUnsubscribe(channel, code, reason);
  }

  @Override
  public boolean isConnected() {
    return !closed && app != null;
  }

  @Override
  public boolean hasSubscription(String channel) {
    return subscriptions.has(channel);
  }

  @Override
  public Future<?> serverSubscribe(String channel, NamespaceOptions ns, RecoveryRequest req) {
    return Future.succeededFuture(); // Pusher clients choose their channels themselves
  }

  @Override
  public Future<Void> close(int code, String reason) {
    if (closed) {
      return Future.succeededFuture();
    }
    flush(); // what was written before the close goes out before it
    closed = true;
    end();
    return transport.close((short) code, reason);
  }

  @Override
  public void expireNow() {
    close(PusherErrors.UNAUTHORIZED, "expired");
  }

  @Override
  public void expireAt(long epochSeconds) {
    // Pusher connections carry no credentials that expire
  }

  @Override
  public void message(Object data) {
    // Pusher has no message outside channels
  }

  /** A token bucket of client events: {@code perSecond} a second, bursts of as many. */
  private static final class ClientEventLimit {
    private final double perNano;
    private final double burst;
    private double tokens;
    private long last = System.nanoTime();

    ClientEventLimit(int perSecond) {
      this.perNano = perSecond / 1e9;
      this.burst = perSecond;
      this.tokens = perSecond;
    }

    boolean take(long now) {
      tokens = Math.min(burst, tokens + (now - last) * perNano);
      last = now;
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }
  }
}
