package io.switchboard.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.codec.protobuf.wire.Command;
import io.switchboard.codec.protobuf.wire.ConnectRequest;
import io.switchboard.codec.protobuf.wire.HistoryRequest;
import io.switchboard.codec.protobuf.wire.Publication;
import io.switchboard.codec.protobuf.wire.Reply;
import io.switchboard.codec.protobuf.wire.SubscribeRequest;
import io.switchboard.storage.JdbcTarget;
import io.switchboard.testsupport.NodeTestBase;
import io.switchboard.testsupport.RawWebSocket;
import io.switchboard.testsupport.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A channel that holds entries no input path accepts any more, put straight into PostgreSQL: data nested 998
 * levels deep (over Jackson's limit of 1000 once a reply wraps it) and a tag without a value (which neither
 * Protobuf's map nor the JSON encoder's copy took). History, recovery and the API's history still answer, for
 * JSON and for Protobuf clients: data is embedded as stored, never parsed again, and a tag without a value is
 * left out. Replies are read with raw clients, since the test's own JSON client stops at 1000 levels too.
 */
class UnencodableHistoryTest extends NodeTestBase {
  private static final int DEEP = 998;
  private static final String DEEP_DATA = "[".repeat(DEEP) + "]".repeat(DEEP);
  /** Reads what a browser's JSON.parse reads: no nesting limit worth the name. */
  private static final ObjectMapper DEEP_JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(5000).build()).build());

  private static String channel;
  private static String epoch;

  @BeforeAll
  static void start() throws Exception {
    boot("{}\n");
    channel = "chat:poisoned";
    String e = null;
    for (int n = 1; n <= 3; n++) {
      JsonObject r = api("publish", new JsonObject().put("channel", channel).put("data", new JsonObject().put("n", n)));
      e = r.getJsonObject("result").getString("epoch");
    }
    epoch = e;
    JdbcTarget j = server.db.jdbc();
    try (Connection c = DriverManager.getConnection(j.url(), j.user(), j.password())) {
      try (PreparedStatement st = c.prepareStatement(
          "UPDATE publications SET data = convert_to(?, 'UTF8') WHERE channel = ? AND \"offset\" = 2")) {
        st.setString(1, DEEP_DATA);
        st.setString(2, channel);
        assertThat(st.executeUpdate()).isEqualTo(1);
      }
      try (PreparedStatement st = c.prepareStatement(
          "UPDATE publications SET tags = '{\"k\":null,\"kept\":\"yes\"}' WHERE channel = ? AND \"offset\" = 3")) {
        st.setString(1, channel);
        assertThat(st.executeUpdate()).isEqualTo(1);
      }
    }
  }

  @Test
  void aJsonClientGetsHistoryAndRecoveryWithTheEntries() throws Exception {
    try (RawWebSocket ws = new RawWebSocket(server.port())) {
      ws.sendText(("{\"id\":1,\"connect\":{\"token\":\"" + server.token("reader") + "\"}}").getBytes(UTF_8));
      assertThat(jsonReply(ws, 1).has("connect")).isTrue();
      // Recovery from offset 1: publications 2 and 3, in the subscribe reply.
      ws.sendText(("{\"id\":2,\"subscribe\":{\"channel\":\"" + channel + "\",\"recover\":true,\"offset\":1,"
          + "\"epoch\":\"" + epoch + "\"}}").getBytes(UTF_8));
      JsonNode sub = jsonReply(ws, 2).get("subscribe");
      assertThat(sub.path("recovered").asBoolean()).as("%s", sub).isTrue();
      assertJsonEntries(sub.get("publications"), 2);
      ws.sendText(("{\"id\":3,\"history\":{\"channel\":\"" + channel + "\",\"limit\":10}}").getBytes(UTF_8));
      JsonNode history = jsonReply(ws, 3).get("history");
      assertJsonEntries(history.get("publications"), 1);
    }
  }

  @Test
  void theServerApiAnswersHistoryWithTheEntries() throws Exception {
    HttpResponse<String> r = apiResponse("history", new JsonObject().put("channel", channel).put("limit", 10));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = DEEP_JSON.readTree(r.body());
    assertThat(body.has("result")).as(r.body().substring(0, Math.min(300, r.body().length()))).isTrue();
    assertJsonEntries(body.get("result").get("publications"), 1);
  }

  @Test
  void aProtobufClientGetsHistoryAndRecoveryWithTheEntries() throws Exception {
    try (RawWebSocket ws = new RawWebSocket(server.port(), "?cf_protocol=protobuf")) {
      send(ws, Command.newBuilder().setId(1).setConnect(ConnectRequest.newBuilder().setToken(server.token("pb"))));
      assertThat(protobufReply(ws, 1).hasConnect()).isTrue();
      send(ws, Command.newBuilder().setId(2).setSubscribe(SubscribeRequest.newBuilder().setChannel(channel)
          .setRecover(true).setOffset(1).setEpoch(epoch)));
      Reply sub = protobufReply(ws, 2);
      assertThat(sub.hasError()).as("%s", sub.getError()).isFalse();
      assertThat(sub.getSubscribe().getRecovered()).isTrue();
      assertProtobufEntries(sub.getSubscribe().getPublicationsList(), 2);
      send(ws, Command.newBuilder().setId(3).setHistory(HistoryRequest.newBuilder().setChannel(channel).setLimit(10)));
      Reply history = protobufReply(ws, 3);
      assertThat(history.hasError()).as("%s", history.getError()).isFalse();
      assertProtobufEntries(history.getHistory().getPublicationsList(), 1);
    }
  }

  /** {@code pubs} from offset {@code from} to 3: the deep data as stored, the tag without a value left out. */
  private static void assertJsonEntries(JsonNode pubs, int from) throws Exception {
    assertThat(pubs).isNotNull();
    assertThat(pubs.size()).isEqualTo(4 - from);
    for (JsonNode p : pubs) {
      long offset = p.get("offset").asLong();
      if (offset == 2) {
        assertThat(DEEP_JSON.writeValueAsString(p.get("data"))).isEqualTo(DEEP_DATA);
      } else if (offset == 3) {
        assertThat(p.get("data").get("n").asInt()).isEqualTo(3);
        assertThat(p.get("tags").has("k")).isFalse();
        assertThat(p.get("tags").get("kept").asText()).isEqualTo("yes");
      }
    }
  }

  private static void assertProtobufEntries(List<Publication> pubs, int from) {
    assertThat(pubs).hasSize(4 - from);
    for (Publication p : pubs) {
      if (p.getOffset() == 2) {
        assertThat(p.getData().toStringUtf8()).isEqualTo(DEEP_DATA);
      } else if (p.getOffset() == 3) {
        assertThat(p.getTagsMap()).containsOnlyKeys("kept");
      }
    }
  }

  /** The reply to command {@code id}, from the JSON frames that come (several may share a message). */
  private static JsonNode jsonReply(RawWebSocket ws, long id) throws Exception {
    while (true) {
      byte[] message = ws.readMessage();
      assertThat(message).as("connection closed before reply %d", id).isNotNull();
      for (String line : new String(message, UTF_8).split("\n")) {
        if (line.startsWith("{\"id\":" + id + ",")) {
          JsonNode reply = DEEP_JSON.readTree(line);
          assertThat(reply.has("error")).as("%s", reply.get("error")).isFalse();
          return reply;
        }
      }
    }
  }

  private static void send(RawWebSocket ws, Command.Builder command) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    command.build().writeDelimitedTo(out);
    ws.sendBinary(out.toByteArray());
  }

  private static Reply protobufReply(RawWebSocket ws, int id) throws Exception {
    while (true) {
      byte[] message = ws.readMessage();
      assertThat(message).as("connection closed before reply %d", id).isNotNull();
      ByteArrayInputStream in = new ByteArrayInputStream(message);
      List<Reply> replies = new ArrayList<>();
      Reply r;
      while ((r = Reply.parseDelimitedFrom(in)) != null) {
        replies.add(r);
      }
      for (Reply reply : replies) {
        if (reply.getId() == id) {
          return reply;
        }
      }
    }
  }

  private static JsonObject api(String method, JsonObject params) throws Exception {
    HttpResponse<String> r = apiResponse(method, params);
    assertThat(r.statusCode()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private static HttpResponse<String> apiResponse(String method, JsonObject params) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/" + method))
        .timeout(Duration.ofSeconds(10)).header("X-API-Key", TestServer.API_KEY)
        .POST(HttpRequest.BodyPublishers.ofString(params.encode())).build(), HttpResponse.BodyHandlers.ofString());
  }
}
