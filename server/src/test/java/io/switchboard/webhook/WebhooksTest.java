package io.switchboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigLoader;
import io.switchboard.testsupport.TestServer;
import io.switchboard.testsupport.WebhookReceiver;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One in-process node, its PostgreSQL queue and a receiver over real HTTP. */
class WebhooksTest {
  static final String HOOK_SECRET = "webhook-secret-0123456789";
  Vertx vertx;
  WebhookReceiver receiver;
  TestServer server;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    receiver = new WebhookReceiver(vertx, HOOK_SECRET).start();
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
    receiver.close();
    vertx.close();
  }

  TestServer start(String extra) throws Exception {
    return start(extra, "");
  }

  /** {@code extra}: more keys of the webhooks section; {@code topLevel}: other sections. */
  TestServer start(String extra, String topLevel) throws Exception {
    // in the file, not the environment: restart() keeps the file
    return TestServer.start("push:\n  enabled: false\nwebhooks:\n  urls: [\"" + receiver.url() + "\"]\n  secret: "
        + HOOK_SECRET + "\n  retry_base: 100ms\n  retry_max: 1s\n  poll_interval: 200ms\n" + extra + topLevel);
  }

  void await(String type, String channel, String user, int count) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (receiver.of(type, channel, user).size() < count && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(receiver.of(type, channel, user)).as("%s %s %s", type, channel, user).hasSize(count);
  }

  @Test
  void aSubscriberAndItsConnectionMakeSignedEventsWithIdsSeqAndTime() throws Exception {
    server = start("");
    long t0 = System.currentTimeMillis();
    WsClient c = WsClient.open(vertx, server.wsUrl());
    c.connect(server.token("alice"));
    c.subscribe("chat:one");
    await("member_added", "chat:one", "alice", 1);
    await("channel_occupied", "chat:one", null, 1);
    await("client_connected", null, "alice", 1);
    c.close();
    await("member_removed", "chat:one", "alice", 1);
    await("channel_vacated", "chat:one", null, 1);
    await("client_disconnected", null, "alice", 1);
    assertThat(receiver.badSignatures).isEmpty();
    JsonObject added = receiver.of("member_added", "chat:one", "alice").get(0);
    JsonObject removed = receiver.of("member_removed", "chat:one", "alice").get(0);
    assertThat(added.getString("id")).matches("[0-9a-f-]{36}").isNotEqualTo(removed.getString("id"));
    assertThat(removed.getLong("seq")).isGreaterThan(added.getLong("seq"));
    assertThat(added.getLong("time_ms")).isBetween(t0 - 1000, System.currentTimeMillis());
    // a channel without presence: occupancy, no members
    WsClient d = WsClient.open(vertx, server.wsUrl());
    d.connect(server.token("bob"));
    d.subscribe("typing:x");
    await("channel_occupied", "typing:x", null, 1);
    Thread.sleep(500);
    assertThat(receiver.of("member_added", "typing:x", null)).isEmpty();
    d.close();
  }

  @Test
  void batchesAreBoundedInCountAndBytes() throws Exception {
    server = start("  batch_size: 4\n  max_batch_bytes: 1024\n  events: [member_added, member_removed]\n");
    receiver.stop(); // let events pile up, then take them in batches
    List<WsClient> clients = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      WsClient c = WsClient.open(vertx, server.wsUrl());
      c.connect(server.token("user-with-a-rather-long-name-to-fill-bytes-" + i));
      c.subscribe("chat:batches-with-a-long-channel-name-as-well-0123456789");
      clients.add(c);
    }
    Thread.sleep(1000);
    receiver.start();
    // 15 on the channel and 15 personal channels: 30 member_added
    long deadline = System.currentTimeMillis() + 10_000;
    while (receiver.events.size() < 30 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(receiver.events).hasSize(30);
    assertThat(receiver.events).allSatisfy(e -> assertThat(e.getString("type")).isEqualTo("member_added"));
    assertThat(receiver.batchSizes).allSatisfy(n -> assertThat(n).isBetween(1, 4));
    assertThat(receiver.bodyBytes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1024));
    clients.forEach(WsClient::close);
  }

  @Test
  void aNodeThatDiedHasItsMembersRemovedWhenItStartsAgain() throws Exception {
    server = start("");
    WsClient c = WsClient.open(vertx, server.wsUrl());
    c.connect(server.token("carol"));
    c.subscribe("chat:restart");
    await("member_added", "chat:restart", "carol", 1);
    server = server.restart(); // a new node id; the old one's rows are released by the new node
    await("member_removed", "chat:restart", "carol", 1);
    await("client_disconnected", null, "carol", 1);
    Thread.sleep(1500);
    assertThat(receiver.of("member_removed", "chat:restart", "carol")).hasSize(1);
    c.close();
  }

  @Test
  void aDrainingNodeWritesItsClientsLeavesBeforeItGoes() throws Exception {
    // flushes 3 s apart: the leave is written by the drain itself, not by a flush that happens to fall in it
    server = start("  flush_interval: 3s\n", "shutdown:\n  drain_window: 300ms\n");
    WsClient c = WsClient.open(vertx, server.wsUrl());
    c.connect(server.token("erin"));
    c.subscribe("chat:drain");
    await("member_added", "chat:drain", "erin", 1);
    TestServer draining = server;
    server = null;
    draining.node.drainAndClose();
    io.vertx.sqlclient.Pool pg = io.switchboard.storage.PgPools.create(vertx,
        io.switchboard.storage.PgUrl.parse(draining.db.url()).connectOptions(1), 1, "drain-check");
    long holders = pg.query("SELECT count(*) FROM webhook_holders").execute().await().iterator().next().getLong(0);
    long queued = pg.query("SELECT count(*) FROM webhook_queue WHERE type = 'member_removed' AND usr = 'erin'"
        + " AND channel = 'chat:drain'").execute().await().iterator().next().getLong(0);
    long delivered = receiver.of("member_removed", "chat:drain", "erin").size();
    assertThat(holders).as("holder rows left behind").isZero();
    // (both while the sender is between the receiver's answer and its delete)
    assertThat(queued + delivered).as("erin's removal, queued or delivered").isBetween(1L, 2L);
    pg.close();
  }

  @Test
  void badConfigurationIsRefusedWithTheKey() throws Exception {
    Path dir = Files.createTempDirectory("webhook-conf");
    assertThatThrownBy(() -> load(dir, "webhooks:\n  urls: [\"ftp://x\"]\n  secret: " + HOOK_SECRET + "\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("webhooks.urls");
    assertThatThrownBy(() -> load(dir, "webhooks:\n  urls: [\"http://x/h\"]\n  secret: short\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("webhooks.secret");
    assertThatThrownBy(() -> load(dir, "webhooks:\n  events: [member_joined]\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("webhooks.events");
    assertThat(load(dir, "{}\n").webhooks().enabled()).isFalse();
    assertThat(load(dir, "webhooks:\n  urls: [\"https://backend/hooks\"]\n  secret: " + HOOK_SECRET + "\n")
        .webhooks().urls()).containsExactly("https://backend/hooks");
  }

  private static io.switchboard.config.SwitchboardConfig load(Path dir, String yaml) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, yaml);
    return ConfigLoader.load(f, Map.of("HOSTNAME", "h", "SWITCHBOARD_TOKEN_HMAC_SECRET", TestServer.SECRET));
  }
}
