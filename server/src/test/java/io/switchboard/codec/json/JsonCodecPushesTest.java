package io.switchboard.codec.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.model.ClientInfo;
import io.switchboard.model.Publication;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON codec's pushes, byte for byte as Centrifugo JSON clients have been getting them. */
class JsonCodecPushesTest {
  private static final JsonCodec JSON = JsonCodec.INSTANCE;
  private static final ClientInfo INFO = new ClientInfo("u1", "c1", "{\"name\":\"Ann\"}", "{\"role\":\"a\"}");

  private static String text(byte[] frame) {
    return new String(frame, StandardCharsets.UTF_8);
  }

  @Test
  void publicationPushEmbedsTheDataAsSentWithInfoOffsetAndTags() {
    Publication p = new Publication("chat:r", 42, "{ \"text\" : \"h\u00e9 \uD83D\uDE00\" }", INFO, Map.of("k", "v"));
    assertThat(text(JSON.publicationPush("chat:r", p))).isEqualTo("{\"push\":{\"channel\":\"chat:r\",\"pub\":"
        + "{\"data\":{ \"text\" : \"h\u00e9 \uD83D\uDE00\" },"
        + "\"info\":{\"user\":\"u1\",\"client\":\"c1\",\"conn_info\":{\"name\":\"Ann\"},\"chan_info\":{\"role\":\"a\"}},"
        + "\"offset\":42,\"tags\":{\"k\":\"v\"}}}}");
  }

  @Test
  void publicationPushWithoutHistoryInfoOrTags() {
    Publication p = new Publication("news", 0, "\"x\"", null, Map.of());
    assertThat(text(JSON.publicationPush("news", p))).isEqualTo("{\"push\":{\"channel\":\"news\",\"pub\":{\"data\":\"x\"}}}");
    Publication noTags = new Publication("chat:\"q\"\u00e9", 1, "[1,2]", null, null);
    assertThat(text(JSON.publicationPush(noTags.channel(), noTags)))
        .isEqualTo("{\"push\":{\"channel\":\"chat:\\\"q\\\"\u00e9\",\"pub\":{\"data\":[1,2],\"offset\":1}}}");
  }

  @Test
  void publicationObjectOfHistoryAndRecovery() {
    Publication p = new Publication("chat:r", 7, "{\"a\":1}", new ClientInfo("u", "c", null, null), Map.of());
    String expected = "{\"data\":{\"a\":1},\"info\":{\"user\":\"u\",\"client\":\"c\"},\"offset\":7}";
    assertThat(text(JSON.publication(p))).isEqualTo(expected);
    assertThat(JsonCodec.publicationJson(p)).isEqualTo(new JsonObject(expected));
    assertThat(JsonCodec.publicationJson(p).encode()).isEqualTo(expected);
  }

  @Test
  void dataThatIsNotJsonReachesJsonClientsAsABase64String() {
    byte[] raw = {0, (byte) 0xff, (byte) 0xc3, 0x28};
    Publication p = new Publication("chat:r", 3, raw, false, null, Map.of());
    String frame = text(JSON.publicationPush("chat:r", p));
    assertThat(frame).isEqualTo("{\"push\":{\"channel\":\"chat:r\",\"pub\":{\"data\":\"AP/DKA==\",\"offset\":3}}}");
    // A valid JSON frame, whose data decodes back to the exact bytes.
    String data = new JsonObject(frame).getJsonObject("push").getJsonObject("pub").getString("data");
    assertThat(Base64.getDecoder().decode(data)).isEqualTo(raw);
    assertThat(JsonCodec.publicationJson(p).getString("data")).isEqualTo("AP/DKA==");
    assertThat(text(JSON.messagePush(raw, false))).isEqualTo("{\"push\":{\"message\":{\"data\":\"AP/DKA==\"}}}");
    assertThat(JsonData.value(raw, false)).isEqualTo("AP/DKA==");
    assertThat(JsonData.value("{\"a\":1}".getBytes(StandardCharsets.UTF_8), true)).isEqualTo(new JsonObject().put("a", 1));
  }

  @Test
  void joinAndLeave() {
    String info = "{\"user\":\"u1\",\"client\":\"c1\",\"conn_info\":{\"name\":\"Ann\"},\"chan_info\":{\"role\":\"a\"}}";
    assertThat(text(JSON.joinPush("chat:r", INFO)))
        .isEqualTo("{\"push\":{\"channel\":\"chat:r\",\"join\":{\"info\":" + info + "}}}");
    assertThat(text(JSON.leavePush("chat:r", new ClientInfo("u2", "c2", null, null))))
        .isEqualTo("{\"push\":{\"channel\":\"chat:r\",\"leave\":{\"info\":{\"user\":\"u2\",\"client\":\"c2\"}}}}");
  }

  @Test
  void unsubscribeSubscribeMessageDisconnectAndPing() {
    assertThat(text(JSON.unsubscribePush("chat:r", 2000, "server unsubscribe")))
        .isEqualTo("{\"push\":{\"channel\":\"chat:r\",\"unsubscribe\":{\"code\":2000,\"reason\":\"server unsubscribe\"}}}");
    JsonObject result = new JsonObject().put("recoverable", true).put("offset", 3)
        .put("publications", new JsonArray());
    assertThat(text(JsonCodec.subscribePush("notify:#u1", result))).isEqualTo(
        "{\"push\":{\"channel\":\"notify:#u1\",\"subscribe\":{\"recoverable\":true,\"offset\":3,\"publications\":[]}}}");
    assertThat(text(JSON.messagePush("{\"read\":5}".getBytes(StandardCharsets.UTF_8), true)))
        .isEqualTo("{\"push\":{\"message\":{\"data\":{\"read\":5}}}}");
    assertThat(text(JSON.disconnectPush(3001, "shutdown", true)))
        .isEqualTo("{\"push\":{\"disconnect\":{\"code\":3001,\"reason\":\"shutdown\",\"reconnect\":true}}}");
    assertThat(text(JSON.ping())).isEqualTo("{}");
  }
}
