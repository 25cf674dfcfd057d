package io.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The direct write path on a plain Vert.x server: it applies to this Vert.x version (a failure here after an
 * upgrade means the internals moved: fix or drop {@link DirectWrites}), and frames, back-pressure and a close
 * code still go through.
 */
class DirectWritesTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void appliesAndTheSocketStillWritesAndCloses() throws Exception {
    AtomicBoolean applied = new AtomicBoolean();
    CompletableFuture<Boolean> queueFullBefore = new CompletableFuture<>();
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setStrictThreadMode(true).setPort(0)
        .setHost("127.0.0.1"));
    server.webSocketHandler(ws -> {
      applied.set(DirectWrites.apply(ws));
      queueFullBefore.complete(ws.writeQueueFull());
      ws.textMessageHandler(text -> {
        ws.writeTextMessage("echo " + text);
        ws.close((short) 3012, "no pong");
      });
    });
    server.listen().await(10, TimeUnit.SECONDS);

    WebSocketClient client = vertx.createWebSocketClient();
    CompletableFuture<String> echo = new CompletableFuture<>();
    CompletableFuture<Short> closed = new CompletableFuture<>();
    WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.actualPort())
        .setURI("/")).await(10, TimeUnit.SECONDS);
    ws.textMessageHandler(echo::complete);
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
    ws.writeTextMessage("hi");

    assertThat(echo.get(10, TimeUnit.SECONDS)).isEqualTo("echo hi");
    assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 3012);
    assertThat(queueFullBefore.get()).isFalse();
    assertThat(applied).isTrue();
    client.close(); // last use: until here the client (and so its socket) must not be collected
  }
}
