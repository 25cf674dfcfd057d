package io.switchboard.transport.websocket;

import io.vertx.core.http.ServerWebSocket;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives an accepted WebSocket the direct outbound write path that {@code HttpServerOptions.setStrictThreadMode}
 * gives HTTP connections. Vert.x 5.0 does not pass strict mode on to the connection it builds for a WebSocket
 * upgrade, so each one gets a cross-thread write queue whose first chunk (Netty's MPSC queue, 1,024 slots) is
 * about 4.6 KiB: over a third of the live heap of an idle connection here. Every write of a session already
 * happens on its own event loop (that is why strict mode is on), so the queue only costs memory.
 *
 * <p>This reaches into Vert.x internals ({@code WebSocketImplBase.conn}, {@code VertxConnection.outboundMessageQueue}
 * and its strict-mode implementation). If they change, {@link #apply} logs once and leaves the connection as
 * Vert.x made it (correct, only bigger); {@code DirectWritesTest} fails so an upgrade notices. Drop this class
 * once Vert.x passes strict mode to WebSocket connections.
 */
final class DirectWrites {
  private static final Logger LOG = LoggerFactory.getLogger(DirectWrites.class);
  private static final Field CONN;
  private static final Field QUEUE;
  private static final Class<?> CROSS_THREAD_QUEUE;
  private static final Constructor<?> DIRECT_QUEUE;

  static {
    Field conn = null;
    Field queue = null;
    Class<?> crossThread = null;
    Constructor<?> direct = null;
    try {
      Class<?> connection = Class.forName("io.vertx.core.net.impl.VertxConnection");
      conn = Class.forName("io.vertx.core.http.impl.WebSocketImplBase").getDeclaredField("conn");
      queue = connection.getDeclaredField("outboundMessageQueue");
      crossThread = Class.forName("io.vertx.core.net.impl.VertxConnection$InternalMessageChannel");
      direct = Class.forName("io.vertx.core.net.impl.VertxConnection$DirectOutboundMessageQueue")
          .getDeclaredConstructor(connection);
      conn.setAccessible(true);
      queue.setAccessible(true);
      direct.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.info("WebSocket connections keep Vert.x's cross-thread write queue ({})", e.toString());
      conn = null;
    }
    CONN = conn;
    QUEUE = queue;
    CROSS_THREAD_QUEUE = crossThread;
    DIRECT_QUEUE = direct;
  }

  private static volatile boolean failed;

  private DirectWrites() {}

  /**
   * Writes bytes that are already WebSocket frames straight to the connection's channel (one write, one flush),
   * past Vert.x's frame encoding; false, writing nothing, when the internals are not there (then write frames).
   */
  static boolean writeEncoded(ServerWebSocket ws, io.netty.buffer.ByteBuf frames) {
    if (CONN == null || failed) {
      return false;
    }
    try {
      Object connection = CONN.get(ws);
      if (!(connection instanceof io.vertx.core.net.impl.VertxConnection c)) {
        return false;
      }
      c.writeToChannel(frames);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.info("WebSocket messages are written one by one ({})", e.toString());
      return false;
    }
  }

  /**
   * Switches {@code ws} to direct writes. Call on its event loop before anything is written to it (the
   * WebSocket handler: the handshake response went out through the HTTP connection). Returns whether it did.
   */
  static boolean apply(ServerWebSocket ws) {
    if (CONN == null || failed) {
      return false;
    }
    try {
      Object connection = CONN.get(ws);
      if (connection == null || !CROSS_THREAD_QUEUE.isInstance(QUEUE.get(connection))) {
        return false; // not the shape this was written for (e.g. already direct): leave it alone
      }
      QUEUE.set(connection, DIRECT_QUEUE.newInstance(connection));
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      failed = true;
      LOG.info("WebSocket connections keep Vert.x's cross-thread write queue ({})", e.toString());
      return false;
    }
  }
}
