package io.switchboard.http;

import io.switchboard.config.ClientConfig;
import io.switchboard.config.HttpConfig;
import io.switchboard.config.UniConfig;
import io.switchboard.gateway.GatewayLoop;
import io.switchboard.ops.EventLoopLagProbe;
import io.switchboard.ops.Metrics;
import io.switchboard.pusher.PusherLoop;
import io.switchboard.transport.OriginCheck;
import io.switchboard.transport.stream.StreamEndpoints;
import io.switchboard.transport.uni.UniHttpEndpoint;
import io.switchboard.transport.uni.UniWebSocketEndpoint;
import io.switchboard.transport.websocket.WebSocketEndpoint;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The HTTP listener of one event loop (one instance per loop; they share the port). WebSocket upgrades to
 * {@code /connection/websocket} and {@code /connection/uni_websocket} go to their WebSocket transports, whose
 * connections become sessions of this loop's gateway, as do the HTTP-streaming and SSE streams (transport/stream,
 * with their emulation requests) and the unidirectional HTTP streams ({@code /connection/uni_sse},
 * {@code /connection/uni_http_stream}); every other request goes to the router. While the node drains, upgrades
 * and new bidirectional streams get 503, new unidirectional HTTP streams a disconnect (3001).
 * It also starts the loop's lag probe, being the one verticle every event loop has.
 */
public final class HttpListenerVerticle extends VerticleBase {
  private final HttpServerOptions options;
  private final OriginCheck origins;
  private final Function<Vertx, Router> routes;
  private final Function<Context, GatewayLoop> gateways;
  private final BooleanSupplier draining;
  private final Metrics metrics;
  private final StreamEndpoints.Settings streams;
  private final UniConfig uni;
  private final int maxMessageBytes;
  private HttpServer server;
  private GatewayLoop gateway;
  /** The Pusher front end's loops (null: no Pusher app) and this loop's. */
  private Function<Context, PusherLoop> pushers;
  private PusherLoop pusher;

  /**
   * @param gateways makes the gateway of a loop, given its context (called on it, once per instance)
   * @param draining whether the node is draining (new connections are refused)
   * @param uni which unidirectional transports are on; their connect requests are limited to
   *     {@code maxMessageBytes} like any client message
   */
  public HttpListenerVerticle(HttpServerOptions options, OriginCheck origins,
      Function<Vertx, Router> routes, Function<Context, GatewayLoop> gateways, BooleanSupplier draining,
      Metrics metrics, StreamEndpoints.Settings streams, UniConfig uni, int maxMessageBytes) {
    this.options = options;
    this.origins = origins;
    this.routes = routes;
    this.gateways = gateways;
    this.draining = draining;
    this.metrics = metrics;
    this.streams = streams;
    this.uni = uni;
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Also serves Pusher clients at {@code /app/{key}}, each loop with its own {@link PusherLoop}. */
  public HttpListenerVerticle withPusher(Function<Context, PusherLoop> pushers) {
    this.pushers = pushers;
    return this;
  }

  public static HttpServerOptions serverOptions(HttpConfig http, ClientConfig client) {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(http.host())
        .setPort(http.port())
        // Every write to a connection happens on its own event loop (sessions, hub deliveries and API
        // responses all run there), so Vert.x can drop its cross-thread write queues: less memory per socket.
        .setStrictThreadMode(true)
        .setReusePort(true)
        // No h2c: with it every connection first passes a sniffer for the HTTP/2 preface and an
        // "Upgrade: h2c" handler, which are then swapped out of the pipeline; that was a visible share of each
        // WebSocket handshake. Clients and proxies speak HTTP/1.1 here (HTTP/2 would need TLS and ALPN).
        .setHttp2ClearTextEnabled(false)
        .setTcpNoDelay(true);
    return StreamEndpoints.configure(WebSocketEndpoint.configure(options, client.maxMessageBytes()),
        client.maxMessageBytes());
  }

  @Override
  public Future<?> start() {
    gateway = gateways.apply(context);
    pusher = pushers == null ? null : pushers.apply(context);
    WebSocketEndpoint webSocket = new WebSocketEndpoint(origins, gateway);
    UniWebSocketEndpoint uniWebSocket = uni.websocket()
        ? new UniWebSocketEndpoint(origins, maxMessageBytes, gateway) : null;
    UniHttpEndpoint uniHttp = new UniHttpEndpoint(uni.sse(), uni.httpStream(), origins, maxMessageBytes,
        gateway, draining);
    server = vertx.createHttpServer(options);
    server.webSocketHandshakeHandler(hs -> {
      if (draining.getAsBoolean()) {
        hs.reject(503);
      } else if (WebSocketEndpoint.serves(hs.path())) {
        webSocket.handshake(hs);
      } else if (uniWebSocket != null && UniWebSocketEndpoint.serves(hs.path())) {
        uniWebSocket.handshake(hs);
      } else if (pusher != null && PusherLoop.serves(hs.path())) {
        pusher.handshake(hs);
      } else {
        hs.reject(404);
      }
    });
    // Only handshakes that an endpoint accepted get here.
    server.webSocketHandler(ws -> {
      if (uniWebSocket != null && UniWebSocketEndpoint.serves(ws.path())) {
        uniWebSocket.accept(ws);
      } else if (pusher != null && PusherLoop.serves(ws.path())) {
        pusher.accept(ws);
      } else {
        webSocket.accept(ws);
      }
    });
    StreamEndpoints streaming = new StreamEndpoints(streams, gateway, draining);
    Router router = routes.apply(vertx);
    server.requestHandler(req -> {
      if (uniHttp.serves(req.path())) {
        uniHttp.handle(req); // it tells new streams to go elsewhere while the node drains
      } else if (!streaming.handle(req)) {
        router.handle(req);
      }
    });
    EventLoopLagProbe.start(vertx, metrics);
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    // Close frames first (clients reconnect elsewhere on 3001), then the listener.
    Future<Void> pusherClosed = pusher == null ? Future.succeededFuture() : pusher.shutdown();
    return gateway.shutdown().compose(v -> pusherClosed).compose(v -> server.close());
  }

  /** Graceful drain of this loop's connections over {@code window} (see {@link GatewayLoop#drain}). */
  public Future<Void> drain(Duration window) {
    return pusher == null ? gateway.drain(window)
        : Future.join(gateway.drain(window), pusher.drain(window)).mapEmpty();
  }
}
