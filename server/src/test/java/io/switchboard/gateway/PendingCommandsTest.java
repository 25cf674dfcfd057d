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
 * and every flooder gets through. The rate limit is set out of the way; the floods go to a channel with history,
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

  /** Closed connections give their unanswered bytes back to the node. */
  static void awaitNothingPending() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (pending() > 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(pending()).isZero();
  }
}
