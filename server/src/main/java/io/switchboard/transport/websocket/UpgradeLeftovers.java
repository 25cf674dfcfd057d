package io.switchboard.transport.websocket;

import io.vertx.core.MultiMap;
import io.vertx.core.http.ServerWebSocket;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets go of what Vert.x 5.0 keeps of the HTTP upgrade for as long as the WebSocket lives, though nothing reads it
 * after the session has started. The pipeline's WebSocket handler keeps the function that built its connection,
 * and that function holds the upgrade request, its 101 response, both header maps and Netty's handshaker (over a
 * kilobyte); and the WebSocket keeps every request header (a browser's User-Agent and cookies: often another
 * kilobyte). Idle connections are what a node holds most, so these bytes decide how many fit.
 *
 * <p>Like {@link DirectWrites} this reaches into Vert.x internals ({@code WebSocketImplBase.chctx/headers},
 * {@code VertxHandler.connectionFactory}, used once when the handler is added). If they change, it logs once and
 * leaves the connection as Vert.x made it (correct, only bigger); {@code UpgradeLeftoversTest} fails so an upgrade
 * notices.
 */
final class UpgradeLeftovers {
  private static final Logger LOG = LoggerFactory.getLogger(UpgradeLeftovers.class);
  /**
   * What {@code headers()} answers once the session has copied the headers it needs: one map shared by every
   * socket, so read-only (a write throws rather than leaking into other connections' headers).
   */
  static final MultiMap NO_HEADERS = MultiMap.caseInsensitiveMultiMap().copy(false);

  private static final Field WS_CONTEXT;
  private static final Field CONNECTION_FACTORY;
  private static final Field WS_HEADERS;
  private static volatile boolean failed;

  static {
    Field wsContext = null;
    Field factory = null;
    Field wsHeaders = null;
    try {
      Class<?> ws = Class.forName("io.vertx.core.http.impl.WebSocketImplBase");
      wsContext = ws.getDeclaredField("chctx");
      wsHeaders = ws.getDeclaredField("headers");
      factory = Class.forName("io.vertx.core.net.impl.VertxHandler").getDeclaredField("connectionFactory");
      wsContext.setAccessible(true);
      wsHeaders.setAccessible(true);
      factory.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.info("WebSocket connections keep their upgrade request ({})", e.toString());
      wsContext = null;
    }
    WS_CONTEXT = wsContext;
    CONNECTION_FACTORY = factory;
    WS_HEADERS = wsHeaders;
  }

  private UpgradeLeftovers() {}

  /**
   * The WebSocket's pipeline handler forgets how its connection was built (and so the upgrade request). Call on
   * the connection's event loop once the socket is handed over. Returns whether it did.
   */
  static boolean releaseRequest(ServerWebSocket ws) {
    if (WS_CONTEXT == null || failed || !WS_CONTEXT.getDeclaringClass().isInstance(ws)) {
      return false;
    }
    try {
      Object ctx = WS_CONTEXT.get(ws);
      Object handler = ctx instanceof io.netty.channel.ChannelHandlerContext c ? c.handler() : null;
      if (!CONNECTION_FACTORY.getDeclaringClass().isInstance(handler) || CONNECTION_FACTORY.get(handler) == null) {
        return false;
      }
      CONNECTION_FACTORY.set(handler, null);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      fail(e);
      return false;
    }
  }

  /** The WebSocket forgets its request headers; {@code ws.headers()} answers an empty map from then on. */
  static boolean forgetHeaders(ServerWebSocket ws) {
    if (WS_HEADERS == null || failed || !WS_HEADERS.getDeclaringClass().isInstance(ws)) {
      return false;
    }
    try {
      WS_HEADERS.set(ws, NO_HEADERS);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      fail(e);
      return false;
    }
  }

  private static void fail(Exception e) {
    failed = true;
    LOG.info("WebSocket connections keep their upgrade request ({})", e.toString());
  }
}
