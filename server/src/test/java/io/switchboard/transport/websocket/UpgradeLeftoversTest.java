package io.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * On a plain Vert.x server: after the upgrade the HTTP request becomes garbage while the WebSocket lives, the
 * WebSocket forgets its headers once asked, and the socket still echoes and closes with its code. A failure here
 * after a Vert.x upgrade means the internals moved: fix or drop {@link UpgradeLeftovers}.
 */
class UpgradeLeftoversTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void theUpgradeRequestIsCollectedAndTheSocketStillWorks() throws Exception {
    CompletableFuture<Boolean> released = new CompletableFuture<>();
    CompletableFuture<WeakReference<Object>> request = new CompletableFuture<>();
    CompletableFuture<String> headersBefore = new CompletableFuture<>();
    CompletableFuture<Integer> headersAfter = new CompletableFuture<>();
    CompletableFuture<MultiMap> forgotten = new CompletableFuture<>();
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setStrictThreadMode(true).setPort(0)
        .setHost("127.0.0.1"));
    server.webSocketHandshakeHandler(hs -> {
      request.complete(new WeakReference<>(handshakeRequest(hs)));
      hs.accept();
    });
    server.webSocketHandler(ws -> {
      released.complete(UpgradeLeftovers.releaseRequest(ws));
      headersBefore.complete(ws.headers().get("X-Test"));
      headersAfter.complete(UpgradeLeftovers.forgetHeaders(ws) ? ws.headers().size() : -1);
      forgotten.complete(ws.headers());
      ws.textMessageHandler(text -> {
        ws.writeTextMessage("echo " + text);
        if (text.equals("bye")) {
          ws.close((short) 3012, "no pong");
        }
      });
    });
    server.listen().await(10, TimeUnit.SECONDS);

    WebSocketClient client = vertx.createWebSocketClient();
    CompletableFuture<String> echo = new CompletableFuture<>();
    CompletableFuture<Short> closed = new CompletableFuture<>();
    WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.actualPort())
        .setURI("/").addHeader("X-Test", "kept until forgotten")).await(10, TimeUnit.SECONDS);
    ws.textMessageHandler(echo::complete);
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));

    assertThat(released.get(10, TimeUnit.SECONDS)).as("the pipeline's handler held the upgrade").isTrue();
    assertThat(headersBefore.get(10, TimeUnit.SECONDS)).isEqualTo("kept until forgotten");
    assertThat(headersAfter.get(10, TimeUnit.SECONDS)).isZero();
    MultiMap shared = forgotten.get(10, TimeUnit.SECONDS);
    assertThat(shared).isSameAs(UpgradeLeftovers.NO_HEADERS);
    assertThat(shared.get("X-Test")).isNull();
    assertThat(shared.isMutable()).as("one map for every socket: nobody may write to it").isFalse();
    assertThatThrownBy(() -> shared.add("X-Test", "leak")).isInstanceOf(IllegalStateException.class);
    assertThat(UpgradeLeftovers.NO_HEADERS.isEmpty()).isTrue();
    WeakReference<Object> req = request.get(10, TimeUnit.SECONDS);
    for (int i = 0; i < 20 && req.get() != null; i++) {
      System.gc();
      Thread.sleep(50);
    }
    assertThat(req.get()).as("the upgrade request is garbage while the WebSocket is open").isNull();

    ws.writeTextMessage("bye");
    assertThat(echo.get(10, TimeUnit.SECONDS)).isEqualTo("echo bye");
    assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 3012);
    client.close(); // last use: until here the client (and so its socket) must not be collected
  }

  private static Object handshakeRequest(Object hs) {
    try {
      Field f = hs.getClass().getDeclaredField("request");
      f.setAccessible(true);
      return f.get(hs);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("Vert.x's handshake has no request field any more", e);
    }
  }
}
