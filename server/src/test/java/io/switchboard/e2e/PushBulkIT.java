package io.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.ApnsStandIn;
import io.switchboard.testsupport.FcmStandIn;
import io.switchboard.testsupport.Http;
import io.switchboard.testsupport.NodeProcess;
import io.switchboard.testsupport.PushServiceStub;
import io.switchboard.testsupport.TestPostgres;
import io.switchboard.testsupport.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code send_push_notification} to a topic of 10,000 devices (half Android through the FCM stand-in, half iOS
 * through the APNs one) completes, each device getting the push exactly once, with the queue in PostgreSQL and the
 * node as its own process launched as shipped. The throughput is measured, not asserted (docs/benchmarks.md,
 * "Bulk push"): printed, and written to {@code target/push-bulk.json}. Two rounds: the first right after start
 * (cold JIT), the second warm.
 */
class PushBulkIT {
  static final int DEVICES = 10_000;

  @Test
  void aSendToATopicOfTenThousandDevicesReachesEachOnce() throws Exception {
    TestPostgres.Db db = TestPostgres.freshDatabase();
    try (FcmStandIn fcm = FcmStandIn.start(); ApnsStandIn apns = ApnsStandIn.start()) {
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
        c.createStatement().executeUpdate("INSERT INTO push_devices (user_id, platform, token, topics) "
            + "SELECT 'u' || i, CASE WHEN i % 2 = 0 THEN 'fcm' ELSE 'apns' END, "
            + "CASE WHEN i % 2 = 0 THEN 'fcm-bulk-' || i ELSE lpad(to_hex(i), 64, '0') END, ARRAY['everyone'] "
            + "FROM generate_series(1, " + DEVICES + ") i");
      }
      Map<String, String> env = new HashMap<>(fcm.env());
      env.putAll(apns.env());
      env.put("SWITCHBOARD_PG_URL", db.url());
      env.put("SWITCHBOARD_TOKEN_HMAC_SECRET", TestServer.SECRET);
      env.put("SWITCHBOARD_API_KEY", TestServer.API_KEY);
      env.put("SWITCHBOARD_HTTP_HOST", "127.0.0.1");
      env.put("SWITCHBOARD_PUSH_ENABLED", "false");
      String threads = System.getProperty("push.bench.threads", ""); // default: push.sender_threads as shipped
      if (!threads.isEmpty()) {
        env.put("SWITCHBOARD_PUSH_SENDER_THREADS", threads);
      }
      env.put("SWITCHBOARD_DATA_DIR", Files.createTempDirectory("push-bulk").toString());
      JsonArray rounds = new JsonArray();
      try (NodeProcess node = new NodeProcess("push-bulk", TestServer.freePort(), env)
          .withJvmFlags(jvmFlags()).start()) {
        for (int round = 1; round <= 2; round++) {
          int before = fcm.count() + apns.count();
          long cpu0 = cpuMillis(node.pid());
          long t0 = System.nanoTime();
          JsonObject r = Http.postApi(node.apiUrl("send_push_notification"), TestServer.API_KEY, new JsonObject()
              .put("recipient", new JsonObject().put("filter", new JsonObject().put("topics",
                  new JsonArray().add("everyone"))))
              .put("notification", new JsonObject().put("title", "Round " + round).put("body", "to everyone"))
              .put("uid", "bulk-" + round));
          long accepted = System.nanoTime() - t0;
          assertThat(r.getJsonObject("result").getLong("devices")).isEqualTo(DEVICES);
          PushServiceStub.await(180_000, "every device's push, round " + round,
              () -> fcm.count() + apns.count() >= before + DEVICES);
          long took = System.nanoTime() - t0;
          long cpu = cpuMillis(node.pid()) - cpu0;
          double perSecond = DEVICES / (took / 1e9);
          System.out.printf("PUSH BULK round %d: %d devices in %.2f s = %.0f pushes/s (API call %.0f ms), "
              + "server CPU %.1f s = %.0f us per push%n", round, DEVICES, took / 1e9, perSecond, accepted / 1e6,
              cpu / 1000.0, cpu * 1000.0 / DEVICES);
          rounds.add(new JsonObject().put("round", round).put("devices", DEVICES).put("seconds", took / 1e9)
              .put("pushes_per_second", Math.round(perSecond)).put("api_call_ms", accepted / 1e6)
              .put("server_cpu_us_per_push", cpu * 1000.0 / DEVICES));
        }
        PushServiceStub.await(10_000, "the queue to empty", () -> jobs(db) == 0);
        node.terminate(java.time.Duration.ofSeconds(60)); // a clean exit (a JFR recording is written then)
      }
      // exactly once per device per round
      Set<String> seen = new HashSet<>();
      fcm.messages().forEach(m -> assertThat(seen.add(m.token() + " " + m.message().getJsonObject("notification")
          .getString("title"))).as("once").isTrue());
      apns.messages().forEach(m -> assertThat(seen.add(m.token() + " " + m.aps().getJsonObject("alert")
          .getString("title"))).as("once").isTrue());
      assertThat(seen).hasSize(2 * DEVICES);
      Files.writeString(Path.of("target", "push-bulk.json"), new JsonObject().put("rounds", rounds).encodePrettily());
    }
  }

  /** The node's JVM flags: none, as the README starts it, plus {@code -Dpush.bench.jvm=...} (e.g. a JFR recording) when given. */
  private static String[] jvmFlags() {
    java.util.List<String> flags = new java.util.ArrayList<>(); // the README's `java -jar`, no flags
    String extra = System.getProperty("push.bench.jvm", "");
    if (!extra.isBlank()) {
      flags.addAll(java.util.List.of(extra.trim().split("\\s+")));
    }
    return flags.toArray(String[]::new);
  }

  private static long jobs(TestPostgres.Db db) {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
         ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM push_jobs")) {
      rs.next();
      return rs.getLong(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** User + system CPU of a process, from /proc (Linux), in ms. */
  private static long cpuMillis(long pid) throws Exception {
    String[] f = Files.readString(Path.of("/proc", Long.toString(pid), "stat")).split("\\) ")[1].split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks * 10; // USER_HZ = 100
  }
}
