package io.switchboard.notify.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.BrowserSubscription;
import io.switchboard.testsupport.PushServiceStub;
import io.switchboard.testsupport.PushServiceStub.Received;
import io.switchboard.testsupport.TestPostgres;
import io.switchboard.testsupport.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of the push sender: a server process (this test's classpath, {@code io.switchboard.Main}) sends a
 * queue of 40 jobs x 2 subscriptions; the push service stops answering after 25 messages, so every sender thread is
 * stuck in a POST; the process is killed with SIGKILL. A new process on the same database finishes the queue.
 * Every (subscription, notification) is accepted by the push service exactly once: none lost, none twice.
 */
class PushSenderCrashTest {
  static final String PUB = "BL3q4DxMgvPSKkO2gAmEiuMmV6sbVpwgVN35oXS30mfXGvkUCbihmEeu7wnMNviiCTq39EVCdxx8w_UEuqCMSn0";
  static final String PRIV = "c-IES9xVrNcmE1JoWIICv7CHZGuz4icKsb444g8WFmE";
  static final int USERS = 4;
  static final int JOBS_PER_USER = 10;
  static final int DEVICES = 2;
  static final int ANSWERED_BEFORE_CRASH = 25;

  @TempDir
  Path dir;

  @Test
  void aKilledSenderLosesNothingAndSendsNothingTwice() throws Exception {
    TestPostgres.Db db = TestPostgres.freshDatabase();
    try (PushServiceStub push = PushServiceStub.start()) {
      AtomicInteger answered = new AtomicInteger();
      push.fallback(r -> answered.incrementAndGet() <= ANSWERED_BEFORE_CRASH ? PushServiceStub.CREATED
          : PushServiceStub.STALL);
      Map<String, BrowserSubscription> devices = new HashMap<>();
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
        PreparedStatement sub = c.prepareStatement(
            "INSERT INTO push_devices (user_id, platform, token, p256dh, auth) VALUES (?, 'webpush', ?, ?, ?)");
        for (int u = 0; u < USERS; u++) {
          for (int d = 0; d < DEVICES; d++) {
            BrowserSubscription s = new BrowserSubscription(push.endpoint("u" + u + "-d" + d));
            devices.put("/push/u" + u + "-d" + d, s);
            sub.setString(1, "u" + u);
            sub.setString(2, s.endpoint);
            sub.setString(3, s.p256dh());
            sub.setString(4, s.authB64());
            sub.executeUpdate();
          }
        }
        // The queue, as PgPushQueue writes it.
        PreparedStatement job = c.prepareStatement(
            "INSERT INTO push_jobs (user_id, channel, \"offset\", payload, tag, expire_at) "
                + "VALUES (?, ?, ?, ?, ?, now() + interval '1 day')");
        for (int n = 1; n <= JOBS_PER_USER; n++) {
          for (int u = 0; u < USERS; u++) {
            job.setString(1, "u" + u);
            job.setString(2, "notify:#u" + u);
            job.setLong(3, n);
            job.setString(4, new JsonObject().put("title", "n" + n).put("body", "for u" + u).encode());
            job.setString(5, "notify:#u" + u + ":" + n);
            job.addBatch();
          }
        }
        job.executeBatch();
      }
      int expected = USERS * JOBS_PER_USER * DEVICES;

      Path conf = dir.resolve("push.yaml");
      Files.writeString(conf, """
          push:
            allow_insecure_localhost: true
            allowed_endpoints: ["%s"]
            sender_threads: 2
            lease: 10s
            retry_base: 200ms
          """.formatted(push.origin()));
      Map<String, String> env = new HashMap<>();
      env.put("SWITCHBOARD_PG_URL", db.url());
      env.put("SWITCHBOARD_TOKEN_HMAC_SECRET", TestServer.SECRET);
      env.put("SWITCHBOARD_PUSH_VAPID_PUBLIC_KEY", PUB);
      env.put("SWITCHBOARD_PUSH_VAPID_PRIVATE_KEY", PRIV);
      env.put("SWITCHBOARD_HTTP_HOST", "127.0.0.1");
      env.put("SWITCHBOARD_DATA_DIR", dir.resolve("data").toString());

      Process first = startNode(conf, env, "push-crash-1");
      try {
        PushServiceStub.await(90_000, "the push service to stall", () -> push.stalledCount() >= 2);
        Thread.sleep(500); // both sender threads are in a POST that will not be answered; earlier answers committed
        first.destroyForcibly(); // SIGKILL
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        first.destroyForcibly();
      }
      int acceptedBefore = push.accepted.size();
      assertThat(acceptedBefore).isEqualTo(ANSWERED_BEFORE_CRASH);
      List<Received> inFlight = new ArrayList<>(push.received.subList(ANSWERED_BEFORE_CRASH, push.received.size()));
      assertThat(inFlight).hasSize(2);
      assertThat(remainingJobs(db)).as("the queue survived the crash").isPositive();

      push.fallback(r -> PushServiceStub.CREATED);
      Process second = startNode(conf, env, "push-crash-2");
      try {
        PushServiceStub.await(60_000, "every message accepted", () -> push.accepted.size() >= expected);
        PushServiceStub.await(10_000, "the queue to empty", () -> remainingJobs(db) == 0);
        Thread.sleep(1500); // a duplicate would show up now
      } finally {
        second.destroyForcibly();
        second.waitFor(30, TimeUnit.SECONDS);
      }

      // Exactly once per (device, notification), each decrypting to its notification.
      Map<String, Integer> seen = new HashMap<>();
      for (Received r : push.accepted) {
        JsonObject m = new JsonObject(devices.get(r.path()).decrypt(r.body()));
        String user = r.path().substring(6, r.path().indexOf('-'));
        assertThat(m.getString("channel")).isEqualTo("notify:#" + user);
        assertThat(m.getString("title")).isEqualTo("n" + m.getLong("offset"));
        assertThat(m.getString("body")).isEqualTo("for " + user);
        seen.merge(r.path() + " " + m.getString("tag"), 1, Integer::sum);
      }
      assertThat(seen).hasSize(expected);
      assertThat(seen.values()).allMatch(n -> n == 1, "each accepted once");
      // The two messages in flight at the kill were posted again after the restart, with the same Topic.
      for (Received stalled : inFlight) {
        List<Received> again = push.accepted.stream().filter(r -> r.path().equals(stalled.path())
            && r.header("Topic").equals(stalled.header("Topic"))).toList();
        assertThat(again).hasSize(1);
        assertThat(again.get(0).atMillis()).isGreaterThan(stalled.atMillis());
      }
      assertThat(push.received).hasSize(expected + inFlight.size());
    }
  }

  static long remainingJobs(TestPostgres.Db db) {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
         ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM push_jobs")) {
      rs.next();
      return rs.getLong(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The server as its own OS process on this test's classpath; returns once /health/ready answers 200. */
  static Process startNode(Path conf, Map<String, String> env, String name) throws Exception {
    int port = TestServer.freePort();
    Path log = Path.of("target", "nodes", name + ".log");
    Files.createDirectories(log.getParent());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), "io.switchboard.Main", "--conf", conf.toString());
    pb.environment().putAll(env);
    pb.environment().put("SWITCHBOARD_HTTP_PORT", Integer.toString(port));
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    Process p = pb.start();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.currentTimeMillis() + 90_000;
    while (System.currentTimeMillis() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException(name + " exited with " + p.exitValue() + "; see " + log.toAbsolutePath());
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return p;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    p.destroyForcibly();
    throw new IllegalStateException(name + " not ready; see " + log.toAbsolutePath());
  }
}
