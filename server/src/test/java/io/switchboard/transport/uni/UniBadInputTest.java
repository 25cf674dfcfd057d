package io.switchboard.transport.uni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.testsupport.Http;
import io.switchboard.testsupport.NodeTestBase;
import io.switchboard.testsupport.TestServer;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input to the unidirectional transports: a malformed or oversized connect request is an HTTP status
 * before any stream (or a close on uni_websocket), a refused connect is a {@code disconnect} push, a foreign
 * browser origin is 403, and a client that stops reading is closed with 3008 like any other.
 */
class UniBadInputTest extends NodeTestBase {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    boot("""
        client:
          max_message_bytes: 1024
          max_outbound_bytes: 262144
          stale_timeout: 1s
        """);
  }

  static String base() {
    return "http://127.0.0.1:" + server.port();
  }

  static String wsUrl() {
    return "ws://127.0.0.1:" + server.port() + "/connection/uni_websocket";
  }

  static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return HTTP.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  static String cfConnect(String json) {
    return "?cf_connect=" + URLEncoder.encode(json, StandardCharsets.UTF_8);
  }

  @Test
  void malformedConnectRequestsAre400BeforeAnyStream() throws Exception {
    for (String bad : new String[] {"{\"token\":", "[1,2]", "", "{\"token\":5}", "{\"subs\":{\"ch\":{\"offset\":\"x\"}}}"}) {
      HttpResponse<String> r = post("/connection/uni_http_stream", bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(r.body()).isEqualTo("invalid connect request");
      assertThat(post("/connection/uni_sse", bad).statusCode()).as(bad).isEqualTo(400);
    }
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base() + "/connection/uni_sse" + cfConnect("{nope"))));
    assertThat(r.statusCode()).isEqualTo(400);
  }

  @Test
  void oversizedConnectRequestsAre413AndOtherMethods405() throws Exception {
    String big = new JsonObject().put("token", "x".repeat(2000)).encode();
    assertThat(post("/connection/uni_http_stream", big).statusCode()).isEqualTo(413);
    assertThat(send(HttpRequest.newBuilder(URI.create(base() + "/connection/uni_sse" + cfConnect(big))))
        .statusCode()).isEqualTo(413);
    HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(base() + "/connection/uni_http_stream")));
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST, OPTIONS");
    assertThat(send(HttpRequest.newBuilder(URI.create(base() + "/connection/uni_sse"))
        .PUT(HttpRequest.BodyPublishers.ofString("{}"))).statusCode()).isEqualTo(405);
  }

  @Test
  void refusedConnectsAreADisconnectPushThenTheEnd() throws Exception {
    String[][] cases = {
        {new JsonObject().put("token", "not.a.token").encode(), "3500"},
        {new JsonObject().put("token", server.minter.mint("late", Duration.ofSeconds(-120))).encode(), "3005"},
        {"{}", "3501"}, // no token, and anonymous connections are off
        {new JsonObject().put("token", server.minter.mint("", Duration.ofMinutes(5))).encode(), "3507"}, // no sub
    };
    for (String[] c : cases) {
      for (boolean sse : new boolean[] {false, true}) {
        try (UniStream s = sse ? UniStream.get(base() + "/connection/uni_sse" + cfConnect(c[0]))
            : UniStream.post(base() + "/connection/uni_http_stream", c[0], false)) {
          assertThat(s.status).isEqualTo(200);
          JsonObject d = s.disconnect();
          assertThat(d.getInteger("code")).as("%s over %s", c[0], sse ? "sse" : "stream")
              .isEqualTo(Integer.parseInt(c[1]));
          assertThat(d.getString("reason")).isNotEmpty();
          s.awaitEnd();
          assertThat(s.seen()).hasSize(1);
        }
      }
    }
  }

  @Test
  void foreignBrowserOriginsAre403AndTheServersOwnGetsCors() throws Exception {
    assertThat(post("/connection/uni_http_stream", "{}", "Origin", "http://evil.example").statusCode())
        .isEqualTo(403);
    HttpResponse<String> preflight = send(HttpRequest.newBuilder(URI.create(base() + "/connection/uni_http_stream"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", base())
        .header("Access-Control-Request-Headers", "content-type"));
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(base());
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValue("content-type");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValue("POST, OPTIONS");
    try (UniStream s = UniStream.post(base() + "/connection/uni_http_stream",
        new JsonObject().put("token", server.token("cors")).encode(), false, "Origin", base())) {
      assertThat(s.status).isEqualTo(200);
      assertThat(s.response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(base());
      assertThat(s.next(o -> o.containsKey("connect"))).isNotNull();
    }
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> WsClient.open(vertx, wsUrl(), "http://evil.example"));
    assertThat(((UpgradeRejectedException) e.getCause()).getStatus()).isEqualTo(403);
  }

  @Test
  void uniWebSocketRefusals() throws Exception {
    try (WsClient c = WsClient.open(vertx, wsUrl())) {
      c.sendRaw("{\"token\":\"not.a.token\"}");
      assertThat(c.next(o -> o.containsKey("disconnect")).getJsonObject("disconnect").getInteger("code"))
          .isEqualTo(3500);
      assertThat(c.awaitClose()).isEqualTo((short) 3500);
      assertThat(c.closeReason()).isEqualTo("invalid token");
    }
    try (WsClient c = WsClient.open(vertx, wsUrl())) {
      c.sendRaw("{\"token\":");
      assertThat(c.awaitClose()).isEqualTo((short) 3501);
    }
    try (WsClient c = WsClient.open(vertx, wsUrl())) {
      c.sendRaw(new JsonObject().put("token", "y".repeat(2000)).encode());
      assertThat(c.awaitClose()).isEqualTo((short) 1009);
    }
    try (WsClient c = WsClient.open(vertx, wsUrl())) { // says nothing: stale
      assertThat(c.next(o -> o.containsKey("disconnect")).getJsonObject("disconnect").getInteger("code"))
          .isEqualTo(3502);
      assertThat(c.awaitClose()).isEqualTo((short) 3502);
    }
    assertThatThrownBy(() -> WsClient.open(vertx, wsUrl() + cfConnect("{oops")))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(UpgradeRejectedException.class)
        .extracting(t -> ((UpgradeRejectedException) t).getStatus()).isEqualTo(400);
  }

  @Test
  void aUniWebSocketClientsLaterMessagesAreIgnored() throws Exception {
    try (WsClient c = WsClient.open(vertx, wsUrl())) {
      c.sendRaw(new JsonObject().put("token", server.token("chatty")).encode());
      c.next(o -> o.containsKey("connect"));
      c.sendRaw("{\"id\":2,\"subscribe\":{\"channel\":\"chat:x\"}}");
      c.sendRaw("not even JSON");
      c.sendRaw("{}");
      Http.postApi(base() + "/api/publish", TestServer.API_KEY,
          new JsonObject().put("channel", "notify:#chatty").put("data", new JsonObject().put("n", 1)));
      JsonObject pub = c.next(o -> "notify:#chatty".equals(o.getString("channel")));
      assertThat(pub.getJsonObject("pub").getJsonObject("data").getInteger("n")).isEqualTo(1);
      assertThat(c.isClosed()).isFalse();
      // one push per WebSocket message, never joined
      assertThat(c.rawFrames).allSatisfy(f -> assertThat(f).doesNotContain("\n"));
    }
  }

  @Test
  void aDrainingNodeTellsNewStreamsToGoElsewhere() throws Exception {
    var status = server.node.parts().status();
    status.setDraining(true);
    try {
      String connect = new JsonObject().put("token", server.token("late")).encode();
      for (UniStream s : new UniStream[] {UniStream.get(base() + "/connection/uni_sse" + cfConnect(connect)),
          UniStream.post(base() + "/connection/uni_http_stream", connect, false)}) {
        try (s) {
          assertThat(s.status).isEqualTo(200);
          assertThat(s.disconnect()).isEqualTo(new JsonObject().put("code", 3001).put("reason", "shutdown"));
          s.awaitEnd();
          assertThat(s.seen()).hasSize(1);
        }
      }
      ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> WsClient.open(vertx, wsUrl()));
      assertThat(((UpgradeRejectedException) e.getCause()).getStatus()).isEqualTo(503);
    } finally {
      status.setDraining(false);
    }
  }

  /** A uni_http_stream client that stops reading is closed with 3008 once its backlog passes the bound. */
  @Test
  void aStuckHttpStreamIsClosedAsSlow() throws Exception {
    var node = server.node.parts();
    double slowBefore = node.metrics().disconnectCount(3008);
    String body = new JsonObject().put("token", server.token("stuck")).encode();
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /connection/uni_http_stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      socket.setSoTimeout(5000);
      in.read(new byte[64]); // the stream has started; from here on nothing is read
      long deadline = System.currentTimeMillis() + 5_000;
      while (node.hub().channelCounts().getOrDefault("notify:#stuck", 0) == 0
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      // Through the server API (100 publishes a call, no history), as a backend would flood it.
      JsonArray flood = new JsonArray();
      for (int i = 0; i < 100; i++) {
        flood.add(new JsonObject().put("publish", new JsonObject().put("channel", "notify:#stuck")
            .put("data", "z".repeat(3000)).put("skip_history", true)));
      }
      JsonObject batch = new JsonObject().put("commands", flood).put("parallel", true);
      deadline = System.currentTimeMillis() + 30_000;
      while (node.metrics().disconnectCount(3008) == slowBefore && System.currentTimeMillis() < deadline) {
        Http.postApi(base() + "/api/batch", TestServer.API_KEY, batch);
      }
      assertThat(node.metrics().disconnectCount(3008)).isEqualTo(slowBefore + 1);
      assertThat(node.hub().channelCounts().getOrDefault("notify:#stuck", 0)).isZero();
      // and its connection is closed: reading on finds the end (what the kernels buffered, then EOF) rather
      // than a stream that stays open (the read would time out)
      byte[] sink = new byte[65536];
      int n;
      do {
        n = in.read(sink);
      } while (n >= 0);
    }
  }
}
