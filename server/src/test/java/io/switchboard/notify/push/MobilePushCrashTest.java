package io.switchboard.notify.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.ApnsStandIn;
import io.switchboard.testsupport.FcmStandIn;
import io.switchboard.testsupport.PushServiceStub;
import io.switchboard.testsupport.TestPostgres;
import io.switchboard.testsupport.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node killed with SIGKILL in the middle of a queue of FCM and APNs pushes: a second node on the same database
 * sends the rest, and every (device, notification) is accepted by its provider exactly once. The stand-ins stop
 * answering mid-way (both sender threads hang in a send, their earlier answers committed), so the kill lands
 * with sends in flight: those were never accepted, and go out again once their lease ends.
 */
class MobilePushCrashTest {
  static final int USERS = 4;
  static final int JOBS_PER_USER = 10;

  @TempDir
  Path dir;

  @Test
  void aKilledNodeLosesNoPushAndSendsNoneTwice() throws Exception {
    TestPostgres.Db db = TestPostgres.freshDatabase();
    try (FcmStandIn fcm = FcmStandIn.start(); ApnsStandIn apns = ApnsStandIn.start()) {
      Map<String, String> iphones = new HashMap<>();
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
        PreparedStatement dev = c.prepareStatement(
            "INSERT INTO push_devices (user_id, platform, token) VALUES (?, ?, ?)");
        for (int u = 0; u < USERS; u++) {
          iphones.put("u" + u, ApnsStandIn.deviceToken());
          for (String[] d : new String[][] {{"fcm", "fcm-u" + u}, {"apns", iphones.get("u" + u)}}) {
            dev.setString(1, "u" + u);
            dev.setString(2, d[0]);
            dev.setString(3, d[1]);
            dev.addBatch();
          }
        }
        dev.executeBatch();
        PreparedStatement job = c.prepareStatement("INSERT INTO push_jobs (user_id, channel, \"offset\", payload, "
            + "tag, expire_at) VALUES (?, ?, ?, ?, ?, now() + interval '1 day')");
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
      int expected = USERS * JOBS_PER_USER * 2;

      Path conf = dir.resolve("push.yaml");
      Files.writeString(conf, """
          push:
            enabled: false
            sender_threads: 2
            lease: 10s
            retry_base: 200ms
          """);
      Map<String, String> env = new HashMap<>(fcm.env());
      env.putAll(apns.env());
      env.put("SWITCHBOARD_PG_URL", db.url());
      env.put("SWITCHBOARD_TOKEN_HMAC_SECRET", TestServer.SECRET);
      env.put("SWITCHBOARD_HTTP_HOST", "127.0.0.1");
      env.put("SWITCHBOARD_DATA_DIR", dir.resolve("data").toString());

      Process first = PushSenderCrashTest.startNode(conf, env, "mobile-push-crash-1");
      try {
        PushServiceStub.await(90_000, "a quarter of the pushes", () -> fcm.count() + apns.count() >= expected / 4);
        fcm.stall();
        apns.stall();
        PushServiceStub.await(30_000, "both sender threads hung in a send",
            () -> fcm.stalledCount() + apns.stalledCount() >= 2);
        Thread.sleep(500);
        first.destroyForcibly(); // SIGKILL
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        first.destroyForcibly();
      }
      int before = fcm.count() + apns.count();
      assertThat(before).isLessThan(expected);
      assertThat(PushSenderCrashTest.remainingJobs(db)).as("the queue survived the crash").isPositive();

      fcm.unstall();
      apns.unstall();
      Process second = PushSenderCrashTest.startNode(conf, env, "mobile-push-crash-2");
      try {
        PushServiceStub.await(60_000, "every push accepted", () -> fcm.count() + apns.count() >= expected);
        PushServiceStub.await(10_000, "the queue to empty", () -> PushSenderCrashTest.remainingJobs(db) == 0);
        Thread.sleep(1500); // a duplicate would show up now
      } finally {
        second.destroyForcibly();
        second.waitFor(30, TimeUnit.SECONDS);
      }

      Map<String, Integer> seen = new HashMap<>();
      for (FcmStandIn.Received r : fcm.messages()) {
        seen.merge(r.token() + " " + r.message().getJsonObject("data").getString("tag"), 1, Integer::sum);
      }
      for (ApnsStandIn.Message m : apns.messages()) {
        seen.merge(m.token() + " " + m.payload().getString("tag"), 1, Integer::sum);
      }
      assertThat(seen).hasSize(expected);
      assertThat(seen.values()).allMatch(n -> n == 1, "each accepted exactly once");
      for (int u = 0; u < USERS; u++) {
        assertThat(fcm.messagesFor("fcm-u" + u)).hasSize(JOBS_PER_USER);
        assertThat(apns.messagesFor(iphones.get("u" + u))).hasSize(JOBS_PER_USER);
      }
    }
  }
}
