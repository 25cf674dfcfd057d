package io.switchboard.gateway;

import io.switchboard.Node;
import io.switchboard.transport.websocket.WebSocketEndpoint;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Function;

/**
 * One instance per event loop: the HTTP listener (the port is shared by all instances), WebSocket
 * sessions of this loop, and the loop's sweep and lag timers. HTTP requests other than the WebSocket
 * upgrade go to the router built by {@code routes}.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final long LAG_PROBE_MS = 200;

  private final Node node;
  private final Function<io.vertx.core.Vertx, Router> routes;
  private HttpServer server;
  private GatewayLoop loop;

  public GatewayVerticle(Node node, Function<io.vertx.core.Vertx, Router> routes) {
    this.node = node;
    this.routes = routes;
  }

  public static HttpServerOptions serverOptions(Node node) {
    var client = node.config.client();
    HttpServerOptions options = new HttpServerOptions()
        .setHost(node.config.http().host())
        .setPort(node.config.http().port())
        // Every write to a connection happens on its own event loop (sessions, hub deliveries and API
        // responses all run there), so Vert.x can drop its cross-thread write queues: less memory per socket.
        .setStrictThreadMode(true)
        .setReusePort(true)
        // No h2c: with it every connection first passes a sniffer for the HTTP/2 preface and an
        // "Upgrade: h2c" handler, which are then swapped out of the pipeline; that was a visible share of each
        // WebSocket handshake. Clients and proxies speak HTTP/1.1 here (HTTP/2 would need TLS and ALPN).
        .setHttp2ClearTextEnabled(false)
        .setTcpNoDelay(true);
    return WebSocketEndpoint.configure(options, client.maxMessageBytes());
  }

  @Override
  public Future<?> start() {
    loop = new GatewayLoop(node, context);
    WebSocketEndpoint webSocket = new WebSocketEndpoint(node.config.http().allowedOrigins(), loop);
    server = vertx.createHttpServer(serverOptions(node));
    server.webSocketHandshakeHandler(hs -> {
      if (node.draining.get()) {
        hs.reject(503);
      } else if (WebSocketEndpoint.serves(hs.path())) {
        webSocket.handshake(hs);
      } else {
        hs.reject(404);
      }
    });
    server.webSocketHandler(webSocket::accept);
    server.requestHandler(routes.apply(vertx));
    long[] expected = {System.nanoTime() + LAG_PROBE_MS * 1_000_000};
    vertx.setPeriodic(LAG_PROBE_MS, id -> {
      long now = System.nanoTime();
      node.metrics.eventLoopLag(Math.max(0, now - expected[0]));
      expected[0] = now + LAG_PROBE_MS * 1_000_000;
    });
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    // Close frames first (clients reconnect elsewhere on 3001), then the listener.
    return loop.shutdown().compose(v -> server.close());
  }

  /** Graceful drain of this loop's connections over {@code window} (SIGTERM); see {@link GatewayLoop#drain}. */
  public Future<Void> drain(java.time.Duration window) {
    return loop.drain(window);
  }

  /** Sessions on this loop; for drain and tests. */
  public int sessionCount() {
    return loop.size();
  }
}
