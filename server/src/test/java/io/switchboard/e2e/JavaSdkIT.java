package io.switchboard.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.centrifugal.centrifuge.HistoryResult;
import io.github.centrifugal.centrifuge.PresenceResult;
import io.github.centrifugal.centrifuge.PublicationEvent;
import io.github.centrifugal.centrifuge.ReplyError;
import io.github.centrifugal.centrifuge.ServerPublicationEvent;
import io.github.centrifugal.centrifuge.ServerSubscribedEvent;
import io.github.centrifugal.centrifuge.SubscribedEvent;
import io.switchboard.testsupport.Http;
import io.switchboard.testsupport.JavaSdkClient;
import io.switchboard.testsupport.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Java SDK ({@code io.github.centrifugal:centrifuge-java}, which speaks only the Protobuf
 * protocol) against a real node: the commands, pushes, recovery, the personal channel and Switchboard's RPC
 * methods; and the binary-data rule with bytes that are not JSON.
 */
class JavaSdkIT {
  private static final AtomicInteger SEQ = new AtomicInteger();
  static TestServer server;
  private final List<JavaSdkClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start("""
        channels:
          namespaces:
            bin:
              binary: true
              presence: true
              history_size: 100
              force_positioning: true
              force_recovery: true
              allow_subscribe_for_client: true
              allow_publish_for_subscriber: true
              allow_history_for_subscriber: true
        """);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (server != null) {
      server.close();
    }
    JavaSdkClient.awaitOkHttpThreadsGone(java.time.Duration.ofSeconds(10));
  }

  @AfterEach
  void closeClients() throws InterruptedException {
    for (JavaSdkClient c : clients) {
      c.close();
    }
    clients.clear();
  }

  /** The URL as the SDK's users write it (the SDK also offers the subprotocol centrifuge-protobuf). */
  private String url() {
    return server.wsUrl() + "?cf_protocol=protobuf";
  }

  private JavaSdkClient client(String user) {
    JavaSdkClient c = new JavaSdkClient(url(), server.token(user));
    clients.add(c);
    return c;
  }

  private static String uniq(String prefix) {
    return prefix + "-" + SEQ.incrementAndGet() + "-" + System.nanoTime() % 100000;
  }

  private static JsonObject api(String method, JsonObject body) throws Exception {
    return Http.postApi("http://127.0.0.1:" + server.port() + "/api/" + method, TestServer.API_KEY, body);
  }

  private static JsonObject json(byte[] data) {
    return new JsonObject(new String(data, UTF_8));
  }

  @Test
  void connectSubscribePublishHistoryPresenceAndJoin() throws Exception {
    JavaSdkClient alice = client("alice");
    JavaSdkClient bob = client("bob");
    String aliceId = alice.connect().getClient();
    String bobId = bob.connect().getClient();
    assertThat(aliceId).isNotEmpty();

    String channel = "chat:" + uniq("sdk");
    JavaSdkClient.Sub a = alice.subscribe(channel, true);
    SubscribedEvent subscribed = JavaSdkClient.await(a.subscribed, "alice subscribed");
    assertThat(subscribed.getRecoverable()).isTrue();
    assertThat(subscribed.getPositioned()).isTrue();
    assertThat(JavaSdkClient.epoch(subscribed.getStreamPosition())).isNotEmpty();
    assertThat(JavaSdkClient.offset(subscribed.getStreamPosition())).isZero();

    JavaSdkClient.Sub b = bob.subscribe(channel, true);
    JavaSdkClient.await(b.subscribed, "bob subscribed");
    var join = JavaSdkClient.await(a.joins, "a join");
    if (join.getInfo().getUser().equals("alice")) { // her own, pushed too: chat forces join/leave
      join = JavaSdkClient.await(a.joins, "bob's join");
    }
    assertThat(join.getInfo().getUser()).isEqualTo("bob");
    assertThat(join.getInfo().getClient()).isEqualTo(bobId);

    alice.publish(a, "{\"text\":\"hello\"}".getBytes(UTF_8));
    alice.publish(a, "{\"text\":\"world\"}".getBytes(UTF_8));
    PublicationEvent first = JavaSdkClient.await(b.publications, "the first publication");
    PublicationEvent second = JavaSdkClient.await(b.publications, "the second publication");
    assertThat(json(first.getData())).isEqualTo(new JsonObject().put("text", "hello"));
    assertThat(first.getOffset()).isEqualTo(1);
    assertThat(first.getInfo().getUser()).isEqualTo("alice");
    assertThat(first.getInfo().getClient()).isEqualTo(aliceId);
    assertThat(second.getOffset()).isEqualTo(2);

    HistoryResult history = bob.history(b, 10);
    assertThat(history.getPublications()).extracting(p -> json(p.getData()).getString("text"))
        .containsExactly("hello", "world");
    assertThat(history.getOffset()).isEqualTo(2);
    assertThat(history.getEpoch()).isEqualTo(JavaSdkClient.epoch(subscribed.getStreamPosition()));

    PresenceResult presence = alice.presence(a);
    assertThat(presence.getClients().keySet()).containsExactlyInAnyOrder(aliceId, bobId);
    assertThat(presence.getClients().get(bobId).getUser()).isEqualTo("bob");

    // The same publication through the server API, to both.
    api("publish", new JsonObject().put("channel", channel).put("data", new JsonObject().put("text", "api")));
    assertThat(json(JavaSdkClient.await(a.publications, "alice's own").getData()).getString("text")).isEqualTo("hello");
    assertThat(JavaSdkClient.await(b.publications, "the API's").getOffset()).isEqualTo(3);
  }

  @Test
  void recoversWhatWasPublishedWhileDisconnected() throws Exception {
    JavaSdkClient carol = client("carol");
    carol.connect();
    String channel = "chat:" + uniq("recover");
    JavaSdkClient.Sub s = carol.subscribe(channel, false);
    String epoch = JavaSdkClient.epoch(JavaSdkClient.await(s.subscribed, "subscribed").getStreamPosition());
    api("publish", new JsonObject().put("channel", channel).put("data", new JsonObject().put("n", 1)));
    assertThat(JavaSdkClient.await(s.publications, "n=1").getOffset()).isEqualTo(1);

    carol.client.disconnect();
    JavaSdkClient.await(carol.disconnected, "disconnected");
    for (int i = 2; i <= 4; i++) {
      api("publish", new JsonObject().put("channel", channel).put("data", new JsonObject().put("n", i)));
    }
    carol.connect();
    SubscribedEvent again = JavaSdkClient.await(s.subscribed, "resubscribed");
    assertThat(again.wasRecovering()).isTrue();
    assertThat(again.getRecovered()).isTrue();
    assertThat(JavaSdkClient.epoch(again.getStreamPosition())).isEqualTo(epoch);
    List<Long> offsets = new ArrayList<>();
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      PublicationEvent p = JavaSdkClient.await(s.publications, "recovered publication " + i);
      offsets.add(p.getOffset());
      values.add(json(p.getData()).getInteger("n"));
    }
    assertThat(offsets).containsExactly(2L, 3L, 4L);
    assertThat(values).containsExactly(2, 3, 4);
  }

  @Test
  void theNotificationInboxAndTheUnreadRpc() throws Exception {
    String user = uniq("dora");
    JavaSdkClient dora = client(user);
    dora.connect();
    ServerSubscribedEvent personal = JavaSdkClient.await(dora.serverSubscribed, "the personal channel");
    assertThat(personal.getChannel()).isEqualTo("notify:#" + user);
    assertThat(personal.getRecoverable()).isTrue();

    JsonObject res = api("notify", new JsonObject().put("users", new JsonArray().add(user))
        .put("data", new JsonObject().put("title", "you have mail")));
    assertThat(res.getJsonObject("result").getJsonObject("results").getJsonObject(user).getLong("offset")).isEqualTo(1);
    ServerPublicationEvent note = JavaSdkClient.await(dora.serverPublications, "the notification");
    assertThat(note.getChannel()).isEqualTo("notify:#" + user);
    assertThat(note.getOffset()).isEqualTo(1);
    assertThat(json(note.getData()).getString("title")).isEqualTo("you have mail");

    JsonObject unreadNotes = json(dora.rpc("notifications.unread", "{}".getBytes(UTF_8)));
    assertThat(unreadNotes.getInteger("count")).isEqualTo(1);

    String channel = "chat:" + uniq("unread");
    JavaSdkClient.Sub s = dora.subscribe(channel, false);
    JavaSdkClient.await(s.subscribed, "subscribed");
    for (int i = 0; i < 3; i++) {
      dora.publish(s, ("{\"i\":" + i + "}").getBytes(UTF_8));
    }
    byte[] args = new JsonObject().put("channels", new JsonArray().add(channel)).encode().getBytes(UTF_8);
    assertThat(json(dora.rpc("unread", args)).getJsonObject("channels").getInteger(channel)).isEqualTo(3);
    byte[] read = new JsonObject().put("channel", channel).put("offset", 2).encode().getBytes(UTF_8);
    assertThat(json(dora.rpc("read", read)).getLong("offset")).isEqualTo(2);
    assertThat(json(dora.rpc("unread", args)).getJsonObject("channels").getInteger(channel)).isEqualTo(1);

    // RPC data must be JSON: other bytes are a bad request.
    try {
      dora.rpc("unread", new byte[] {(byte) 0xff, 0});
      throw new AssertionError("non-JSON rpc data was accepted");
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ReplyError.class);
      assertThat(((ReplyError) e.getCause()).getCode()).isEqualTo(107);
    }
  }

  @Test
  void bytesThatAreNotJsonAreRefusedInAJsonNamespaceAndStoredNowhere() throws Exception {
    JavaSdkClient erin = client("erin");
    erin.connect();
    String channel = "chat:" + uniq("nonjson");
    JavaSdkClient.Sub s = erin.subscribe(channel, false);
    JavaSdkClient.await(s.subscribed, "subscribed");
    for (byte[] bad : List.of(new byte[] {0, 1, 2}, "not json".getBytes(UTF_8), "{\"a\":1}\n".getBytes(UTF_8),
        "{\"a\":1} {\"b\":2}".getBytes(UTF_8), new byte[] {'"', (byte) 0xc3, '"'})) {
      Throwable err = erin.publishError(s, bad);
      assertThat(err).as("publish of %s", Base64.getEncoder().encodeToString(bad)).isInstanceOf(ReplyError.class);
      assertThat(((ReplyError) err).getCode()).isEqualTo(107);
    }
    assertThat(erin.history(s, 10).getPublications()).isEmpty();
    assertThat(erin.history(s, 0).getOffset()).isZero();
    // JSON of any kind is fine, byte for byte (spacing kept).
    byte[] spaced = "{ \"a\" : [1, 2] }".getBytes(UTF_8);
    assertThat(erin.publishError(s, spaced)).isNull();
    assertThat(JavaSdkClient.await(s.publications, "the JSON publication").getData()).isEqualTo(spaced);
    assertThat(erin.history(s, 10).getPublications().get(0).getData()).isEqualTo(spaced);
  }

  @Test
  void aBinaryNamespaceCarriesAnyBytesExactly() throws Exception {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    JavaSdkClient frank = client("frank");
    JavaSdkClient grace = client("grace");
    frank.connect();
    grace.connect();
    String channel = "bin:" + uniq("raw");
    JavaSdkClient.Sub f = frank.subscribe(channel, false);
    JavaSdkClient.Sub g = grace.subscribe(channel, false);
    JavaSdkClient.await(f.subscribed, "frank subscribed");
    JavaSdkClient.await(g.subscribed, "grace subscribed");

    frank.publish(f, all);
    PublicationEvent got = JavaSdkClient.await(g.publications, "the bytes");
    assertThat(got.getData()).isEqualTo(all);
    assertThat(got.getOffset()).isEqualTo(1);

    // The server API's b64data, the same way.
    byte[] more = {(byte) 0xfe, 0, '\n', (byte) 0x80};
    JsonObject res = api("publish", new JsonObject().put("channel", channel)
        .put("b64data", Base64.getEncoder().encodeToString(more)));
    assertThat(res.getJsonObject("result").getLong("offset")).isEqualTo(2);
    assertThat(JavaSdkClient.await(g.publications, "the API's bytes").getData()).isEqualTo(more);

    HistoryResult h = grace.history(g, 10);
    assertThat(h.getPublications()).hasSize(2);
    assertThat(h.getPublications().get(0).getData()).isEqualTo(all);
    assertThat(h.getPublications().get(1).getData()).isEqualTo(more);
  }
}
