package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.NodeTestBase;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pings, pongs, stale connections and token expiry, with short timeouts. */
class HeartbeatAndExpiryTest extends NodeTestBase {

  @BeforeAll
  static void start() throws Exception {
    boot("""
        client:
          ping_interval: 2s
          pong_timeout: 1s
          stale_timeout: 1s
          expired_close_delay: 1s
        # the stalled publish below waits ~5.5 s for a row lock: past the default 5 s statement deadline
        postgres:
          statement_timeout: 30s
        """);
  }


  @Test
  void pingsArriveAndAnsweredPongsKeepTheConnection() throws Exception {
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      assertThat(c.connect(server.token("p")).getInteger("ping")).isEqualTo(2);
      for (int i = 0; i < 3; i++) {
        c.next(JsonObject::isEmpty);
        c.sendRaw("{}");
      }
      assertThat(c.isClosed()).isFalse();
    }
  }

  @Test
  void aPongIsTakenWhileAPublishWaitsForPostgres() throws Exception {
    String channel = "chat:slow-commit";
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      c.connect(server.token("w"));
      c.subscribe(channel); // creates the stream row
      try (java.sql.Connection db = java.sql.DriverManager.getConnection(
          server.db.jdbcUrl(), server.db.user(), server.db.password())) {
        db.setAutoCommit(false);
        try (var st = db.prepareStatement("SELECT top FROM streams WHERE channel = ? FOR UPDATE")) {
          st.setString(1, channel);
          st.executeQuery().close(); // the publish below now waits for this row lock
        }
        long id = c.send("publish", new JsonObject().put("channel", channel).put("data", new JsonObject()));
        // Two pings (interval 2 s, pong timeout 1 s) come and are answered while the publish is stuck.
        for (int i = 0; i < 2; i++) {
          c.next(JsonObject::isEmpty);
          c.sendRaw("{}");
        }
        Thread.sleep(1500); // past the pong deadline of the last ping
        assertThat(c.isClosed()).as("closed with %s", c.closeReason()).isFalse();
        db.rollback();
        assertThat(c.reply(id).containsKey("publish")).isTrue();
      }
    }
  }

  @Test
  void missingPongCloses3012() throws Exception {
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      c.connect(server.token("p"));
      c.next(JsonObject::isEmpty);
      assertThat(c.awaitClose()).isEqualTo((short) 3012);
    }
  }

  @Test
  void aClientHeardFromSinceThePingIsKeptUntilItFallsSilent() throws Exception {
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      c.connect(server.token("busy"));
      c.next(JsonObject::isEmpty); // a ping, never answered with a pong
      long until = System.currentTimeMillis() + 4500; // past two pong timeouts and the next ping
      while (System.currentTimeMillis() < until) {
        c.sendRaw("{\"send\":{\"data\":{\"alive\":true}}}"); // async message: no reply
        Thread.sleep(200);
      }
      assertThat(c.isClosed()).as("closed with %s", c.closeReason()).isFalse();
      assertThat(c.awaitClose()).as("silent now: no pong, no command").isEqualTo((short) 3012);
    }
  }

  @Test
  void pongBeforeAnyPingCloses3501() throws Exception {
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      c.connect(server.token("p"));
      c.sendRaw("{}");
      assertThat(c.awaitClose()).isEqualTo((short) 3501);
    }
  }

  @Test
  void noConnectInTimeCloses3502() throws Exception {
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      assertThat(c.awaitClose()).isEqualTo((short) 3502);
    }
  }

  @Test
  void expiredConnectionWithoutRefreshCloses3005() throws Exception {
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      JsonObject r = c.connect(server.minter.mint("e", Duration.ofSeconds(2)));
      assertThat(r.getBoolean("expires")).isTrue();
      assertThat(r.getLong("ttl")).isBetween(1L, 2L);
      c.answerPingsFor(8000); // so that only expiry can close it
      assertThat(c.awaitClose()).isEqualTo((short) 3005);
    }
  }

  @Test
  void refreshBeforeExpiryKeepsItOpen() throws Exception {
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      c.connect(server.minter.mint("r", Duration.ofSeconds(2)));
      JsonObject r = c.call("refresh", new JsonObject().put("token", server.minter.mint("r", Duration.ofMinutes(5))));
      assertThat(r.getJsonObject("refresh").getLong("ttl")).isGreaterThan(200L);
      c.answerPingsFor(4500);
      JsonObject ok = c.call("subscribe", new JsonObject().put("channel", "news"));
      assertThat(ok.containsKey("subscribe")).as("still connected: %s", c.seen()).isTrue();
    }
  }

  @Test
  void refreshWithAnExpiredTokenCloses3005() throws Exception {
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      c.connect(server.token("x"));
      c.send("refresh", new JsonObject().put("token", server.minter.mint("x", Duration.ofSeconds(-5))));
      assertThat(c.awaitClose()).isEqualTo((short) 3005);
    }
  }
}
