package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.NodeTestBase;
import io.switchboard.testsupport.StuckClient;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bounds on commands read but not yet answered, seen through the node's own count of them
 * ({@code switchboard_pending_command_bytes}) while raw clients pipeline publishes and read nothing: one
 * connection holds at most {@code max_pending_command_bytes} plus the message that passed it, all connections
 * together at most {@code node_pending_command_bytes} plus one message each; the floods are paced, not closed,
 * and every flooder gets through; an HTTP-streaming session over its bound gets 429 on {@code /emulation} until it
 * has caught up. The rate limit is set out of the way; the floods go to a channel with history,
 * so that each publish waits for its commit while the next ones arrive.
 */
class PendingCommandsTest extends NodeTestBase {
  private static final int PER_CONNECTION = 200_000;
  private static final int NODE = 300_000;
  private static final int MESSAGE = 65_536; // client.max_message_bytes
  private static final String PAYLOAD = "x".repeat(60_000);

  @BeforeAll
  static void start() throws Exception {
    boot("""
        client:
          command_rate: 1000000
          command_burst: 1000000
          max_pending_command_bytes: %d
          node_pending_command_bytes: %d
        channels:
          namespaces:
            flood:
              history_size: 10
              history_ttl: 60s
              allow_publish_for_client: true
        """.formatted(PER_CONNECTION, NODE));
  }

  static double pending() {
    return server.node.parts().metrics().registry().get("switchboard_pending_command_bytes").gauge().value();
  }

  /** Pipelines {@code bytes} of publishes from a client that reads nothing, on a thread; failures to {@code errors}. */
  static Thread flood(String user, long bytes, List<Throwable> errors) {
    String connect = "{\"id\":1,\"connect\":{\"token\":\"" + server.token(user) + "\"}}";
    Thread t = new Thread(() -> {
      try (StuckClient stuck = new StuckClient(server.port(), connect)) {
        long sent = 0;
        for (long id = 2; sent < bytes; id++) {
          String publish = "{\"id\":" + id + ",\"publish\":{\"channel\":\"flood:" + user + "\",\"data\":\"" + PAYLOAD
              + "\"}}";
          stuck.sendText(publish);
          sent += publish.length();
        }
        Thread.sleep(500); // the last messages are read before the connection goes
      } catch (Throwable e) {
        errors.add(e);
      }
    }, "flood-" + user);
    t.start();
    return t;
  }

  /**
   * The largest pending count seen while the threads run (at most 120 s: a connection paused for the node's
   * budget with nothing of its own left to answer reads again on its next tick, once a second).
   */
  static double peakWhile(List<Thread> floods) throws InterruptedException {
    double peak = 0;
    long deadline = System.currentTimeMillis() + 120_000;
    while (floods.stream().anyMatch(Thread::isAlive) && System.currentTimeMillis() < deadline) {
      peak = Math.max(peak, pending());
      Thread.sleep(1);
    }
    return peak;
  }

  @Test
  void oneConnectionHoldsAtMostItsBoundAndIsPacedNotClosed() throws Exception {
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    Thread t = flood("one", 8L << 20, errors);
    double peak = peakWhile(List.of(t));
    assertThat(t.isAlive()).as("flood finished").isFalse();
    assertThat(errors).isEmpty();
    assertThat(peak).as("the flood was read at all").isPositive();
    assertThat(peak).isLessThanOrEqualTo(PER_CONNECTION + MESSAGE);
    awaitNothingPending();
  }

  @Test
  void theNodeHoldsAtMostItsBudgetOverAllConnections() throws Exception {
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    List<Thread> floods = new ArrayList<>();
    for (String user : List.of("a", "b", "c")) {
      floods.add(flood(user, 2L << 20, errors));
    }
    double peak = peakWhile(floods);
    assertThat(floods).noneMatch(Thread::isAlive);
    assertThat(errors).isEmpty();
    // Without the node's budget three connections could hold 3 × (200000 + 65536).
    assertThat(peak).isLessThanOrEqualTo(NODE + 3 * MESSAGE);
    awaitNothingPending();
    // and the node serves as before
    try (WsClient c = client("after")) {
      c.subscribe("chat:after");
      c.call("publish", new JsonObject().put("channel", "chat:after").put("data", new JsonObject().put("ok", 1)));
      assertThat(c.nextPub("chat:after").getJsonObject("data").getInteger("ok")).isEqualTo(1);
    }
  }

  @Test
  void anEmulatedSessionOverItsBoundGets429UntilItCatchesUp() throws Exception {
    String connect = "{\"id\":1,\"connect\":{\"token\":\"" + server.token("emu") + "\"}}";
    try (java.net.Socket stream = new java.net.Socket()) {
      stream.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()), 5000);
      stream.setSoTimeout(5000);
      byte[] body = connect.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      stream.getOutputStream().write(("POST /connection/http_stream HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      stream.getOutputStream().write(body);
      stream.getOutputStream().flush();
      String session = sessionOf(stream.getInputStream());

      // More commands in one request than max_pending_commands (256), each waiting for its commit: the session
      // stops taking commands until half of them have answered.
      StringBuilder many = new StringBuilder();
      for (int id = 2; id < 302; id++) {
        many.append("{\"id\":").append(id).append(",\"publish\":{\"channel\":\"flood:emu\",\"data\":1}}\n");
      }
      assertThat(emulate(session, many.toString()).statusCode()).isEqualTo(204);
      var refused = emulate(session, "{\"id\":400,\"publish\":{\"channel\":\"flood:emu\",\"data\":2}}");
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
      long deadline = System.currentTimeMillis() + 20_000;
      int status = 429;
      while (status == 429 && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
        status = emulate(session, "{\"id\":401,\"publish\":{\"channel\":\"flood:emu\",\"data\":3}}").statusCode();
      }
      assertThat(status).as("taken again once the session caught up").isEqualTo(204);
    }
    awaitNothingPending();
  }

  /** Reads the stream until the connect reply names the emulation session. */
  static String sessionOf(java.io.InputStream in) throws java.io.IOException {
    java.util.regex.Pattern p = java.util.regex.Pattern.compile("\"session\":\"([^\"]+)\"");
    StringBuilder seen = new StringBuilder();
    byte[] buf = new byte[4096];
    while (true) {
      int n = in.read(buf);
      if (n < 0) {
        throw new java.io.EOFException("stream ended before the connect reply: " + seen);
      }
      seen.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8));
      java.util.regex.Matcher m = p.matcher(seen);
      if (m.find()) {
        return m.group(1);
      }
    }
  }

  static java.net.http.HttpResponse<Void> emulate(String session, String commands) throws Exception {
    String json = new JsonObject().put("session", session).put("data", commands).encode();
    return java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/emulation"))
            .header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(),
        java.net.http.HttpResponse.BodyHandlers.discarding());
  }

  /** Closed connections give their unanswered bytes back to the node. */
  static void awaitNothingPending() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (pending() > 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(pending()).isZero();
  }
}
