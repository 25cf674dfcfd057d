package io.switchboard.gateway;

import io.switchboard.config.HttpConfig;
import io.switchboard.broker.LoopHub;
import io.switchboard.protocol.DisconnectCode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.Function;

/**
 * One instance per event loop: the HTTP listener (the port is shared by all instances), WebSocket
 * sessions of this loop, and the loop's sweep and lag timers. HTTP requests other than the WebSocket
 * upgrade go to the router built by {@code routes}.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final long LAG_PROBE_MS = 200;

  private final GatewayServices services;
  private final HttpConfig http;
  private final Function<io.vertx.core.Vertx, Router> routes;
  private HttpServer server;
  private LoopHub loopHub;
  private GatewayLoop loop;

  public GatewayVerticle(GatewayServices services, HttpConfig http, Function<io.vertx.core.Vertx, Router> routes) {
    this.services = services;
    this.http = http;
    this.routes = routes;
  }

  public static HttpServerOptions serverOptions(HttpConfig http, io.switchboard.config.ClientConfig client) {
    return new HttpServerOptions()
        .setHost(http.host())
        .setPort(http.port())
        // Netty drops a connection whose frame passes this without a close frame (1006), so the transport
        // limit sits well above ours and the session itself closes oversized messages with 1009.
        .setMaxWebSocketFrameSize(transportLimit(client.maxMessageBytes()))
        .setMaxWebSocketMessageSize(transportLimit(client.maxMessageBytes()))
        .setPerMessageWebSocketCompressionSupported(false) // on by default in Vert.x; costs CPU and memory
        .setPerFrameWebSocketCompressionSupported(false)
        .setWebSocketSubProtocols(List.of("centrifuge-json"))
        // Every write to a connection happens on its own event loop (sessions, hub deliveries and API
        // responses all run there), so Vert.x can drop its cross-thread write queues: less memory per socket.
        .setStrictThreadMode(true)
        .setReusePort(true)
        // No h2c: with it every connection first passes a sniffer for the HTTP/2 preface and an
        // "Upgrade: h2c" handler, which are then swapped out of the pipeline; that was a visible share of each
        // WebSocket handshake. Clients and proxies speak HTTP/1.1 here (HTTP/2 would need TLS and ALPN).
        .setHttp2ClearTextEnabled(false)
        .setTcpNoDelay(true);
  }

  private static int transportLimit(int maxMessageBytes) {
    return (int) Math.min(16L * 1024 * 1024, Math.max(1L << 20, 4L * maxMessageBytes));
  }

  @Override
  public Future<?> start() {
    loopHub = services.hub().newLoop(context);
    loop = new GatewayLoop(context, loopHub);
    Handshake handshake = new Handshake(http.allowedOrigins());
    server = vertx.createHttpServer(serverOptions(http, services.limits()));
    server.webSocketHandshakeHandler(hs -> {
      if (services.status().draining()) {
        hs.reject(503);
        return;
      }
      int status = handshake.check(hs);
      if (status == 0) {
        hs.accept();
      } else {
        hs.reject(status);
      }
    });
    server.webSocketHandler(ws -> {
      DirectWrites.apply(ws); // before the first write; see the class for why
      Session s = new Session(services, ws, loopHub, loop);
      loop.addSession(s);
      s.start();
    });
    server.requestHandler(routes.apply(vertx));
    vertx.setPeriodic(1000, id -> loop.sweep());
    long[] expected = {System.nanoTime() + LAG_PROBE_MS * 1_000_000};
    vertx.setPeriodic(LAG_PROBE_MS, id -> {
      long now = System.nanoTime();
      services.metrics().eventLoopLag(Math.max(0, now - expected[0]));
      expected[0] = now + LAG_PROBE_MS * 1_000_000;
    });
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    // Close frames first (clients reconnect elsewhere on 3001), then the listener.
    java.util.List<Future<Void>> closing = new java.util.ArrayList<>();
    for (Session s : loop.sessions()) {
      closing.add(s.disconnect(DisconnectCode.SHUTDOWN));
    }
    services.hub().removeLoop(loopHub);
    Future<?> closed = Future.join(closing);
    io.vertx.core.Promise<Void> bounded = io.vertx.core.Promise.promise();
    closed.onComplete(ar -> bounded.tryComplete());
    vertx.setTimer(3000, id -> bounded.tryComplete());
    return bounded.future().compose(v -> server.close());
  }

  /**
   * Graceful drain of this loop's connections over {@code window} (SIGTERM). Handshakes are refused meanwhile
   * because the node is marked draining. Runs on this verticle's event loop.
   */
  public Future<Void> drain(java.time.Duration window) {
    io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
    context.runOnContext(v -> Drain.run(vertx, loop.sessions(), window).onComplete(p));
    return p.future();
  }

  /** Sessions on this loop; for drain and tests. */
  public int sessionCount() {
    return loop.size();
  }
}
