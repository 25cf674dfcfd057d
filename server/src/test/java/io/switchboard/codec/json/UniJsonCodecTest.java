package io.switchboard.codec.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.BadMessageException;
import io.switchboard.codec.ClientCodec;
import io.switchboard.model.ClientInfo;
import io.switchboard.model.Publication;
import io.switchboard.protocol.ClientCommand;
import io.switchboard.protocol.ConnectRequest;
import io.switchboard.protocol.ConnectResult;
import io.switchboard.protocol.PublishResult;
import io.switchboard.protocol.ReplyError;
import io.switchboard.protocol.SubscribeResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The unidirectional JSON shape: bare Push objects, the connect push, the connect request as the only input. */
class UniJsonCodecTest {
  private static final UniJsonCodec UNI = UniJsonCodec.INSTANCE;
  private static final JsonCodec JSON = JsonCodec.INSTANCE;
  private static final ClientInfo INFO = new ClientInfo("u1", "c1", "{\"name\":\"Ann\"}", null);

  private static String text(byte[] frame) {
    return new String(frame, StandardCharsets.UTF_8);
  }

  /** Each uni push is exactly the JSON protocol's {@code push} object. */
  private static void sameAsInsideTheReply(byte[] uni, byte[] json) {
    assertThat(new JsonObject(text(uni))).isEqualTo(new JsonObject(text(json)).getJsonObject("push"));
  }

  @Test
  void aSlotOfItsOwnAndUnidirectional() {
    assertThat(UNI.slot()).isNotEqualTo(JSON.slot()).isLessThan(ClientCodec.SLOTS);
    assertThat(UNI.unidirectional()).isTrue();
    assertThat(JSON.unidirectional()).isFalse();
    assertThat(UNI.binary()).isFalse();
  }

  @Test
  void pushesAreThePushObjectsWithoutTheReplyWrapper() {
    Publication p = new Publication("notify:#u1", 5, "{\"a\":\"x\\ny\"}", INFO, Map.of("k", "v"));
    assertThat(text(UNI.publicationPush("notify:#u1", p))).isEqualTo("{\"channel\":\"notify:#u1\",\"pub\":"
        + "{\"data\":{\"a\":\"x\\ny\"},\"info\":{\"user\":\"u1\",\"client\":\"c1\",\"conn_info\":{\"name\":\"Ann\"}},"
        + "\"offset\":5,\"tags\":{\"k\":\"v\"}}}");
    sameAsInsideTheReply(UNI.joinPush("ch", INFO), JSON.joinPush("ch", INFO));
    sameAsInsideTheReply(UNI.leavePush("ch", INFO), JSON.leavePush("ch", INFO));
    sameAsInsideTheReply(UNI.unsubscribePush("ch", 2000, "server unsubscribe"),
        JSON.unsubscribePush("ch", 2000, "server unsubscribe"));
    SubscribeResult sub = new SubscribeResult(false, 0, true, "ep", List.of(), false, 3, true, false);
    sameAsInsideTheReply(UNI.subscribePush("ch", sub), JSON.subscribePush("ch", sub));
    byte[] data = "{\"read\":7}".getBytes(StandardCharsets.UTF_8);
    assertThat(text(UNI.messagePush(data, true))).isEqualTo("{\"message\":{\"data\":{\"read\":7}}}");
    assertThat(UNI.publication(p)).isEqualTo(JSON.publication(p));
  }

  @Test
  void disconnectPushHasCodeAndReasonOnlyAndPingIsTheEmptyPush() {
    assertThat(new JsonObject(text(UNI.disconnectPush(3500, "invalid token", false))))
        .isEqualTo(new JsonObject().put("disconnect", new JsonObject().put("code", 3500).put("reason", "invalid token")));
    assertThat(text(UNI.ping())).isEqualTo("{}");
  }

  @Test
  void connectReplyIsTheConnectPushWithoutPong() {
    SubscribeResult sub = new SubscribeResult(false, 0, true, "ep1", List.of(), false, 4, true, false);
    byte[] frame = UNI.reply(1, "connect",
        new ConnectResult("cid", "1.0", true, 60, Map.of("notify:#u1", sub), 25, true));
    JsonObject connect = new JsonObject(text(frame)).getJsonObject("connect");
    assertThat(new JsonObject(text(frame)).fieldNames()).containsExactly("connect");
    assertThat(connect.getString("client")).isEqualTo("cid");
    assertThat(connect.getInteger("ping")).isEqualTo(25);
    assertThat(connect.getLong("ttl")).isEqualTo(60);
    assertThat(connect.containsKey("pong")).isFalse();
    assertThat(connect.getJsonObject("subs").getJsonObject("notify:#u1").getLong("offset")).isEqualTo(4);
    assertThatThrownBy(() -> UNI.reply(2, "publish", new PublishResult()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> UNI.error(1, new ReplyError(109, "token expired", false)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theConnectRequestObjectIsReadAsConnect() {
    List<ClientCommand> read = UNI.decode(
        "{\"token\":\"t\",\"subs\":{\"notify:#u1\":{\"recover\":true,\"offset\":12,\"epoch\":\"xD5R\"}},\"name\":\"x\"}");
    assertThat(read).hasSize(1);
    ClientCommand c = read.get(0);
    assertThat(c.method()).isEqualTo("connect");
    assertThat(c.id()).isEqualTo(1);
    ConnectRequest q = (ConnectRequest) c.request();
    assertThat(q.token()).isEqualTo("t");
    assertThat(q.subs().get("notify:#u1").recover()).isTrue();
    assertThat(q.subs().get("notify:#u1").offset()).isEqualTo(12);
    assertThat(q.subs().get("notify:#u1").epoch()).isEqualTo("xD5R");
    assertThat(((ConnectRequest) UNI.decode("null").get(0).request()).token()).isNull();
    assertThat(((ConnectRequest) UNI.decode(" {} ").get(0).request()).subs()).isEmpty();
  }

  @Test
  void anythingElseIsUnreadable() {
    for (String bad : List.of("", "{", "[1]", "\"token\"", "42", "{\"token\":5}", "{\"subs\":[]}",
        "{\"subs\":{\"ch\":{\"offset\":\"x\"}}}", "{} {}")) {
      assertThatThrownBy(() -> UNI.decode(bad)).as(bad).isInstanceOf(BadMessageException.class);
    }
    assertThatThrownBy(() -> UNI.decode(Buffer.buffer("{}"))).isInstanceOf(BadMessageException.class);
  }

  @Test
  void framesAreNeverJoined() {
    assertThat(UNI.joinedLength(10, true)).isEqualTo(10);
    assertThat((long) UNI.joinedLength(10, false)).isGreaterThan(1L << 20);
    ByteBuf one = UNI.message(UNI.ping());
    assertThat(one.toString(StandardCharsets.UTF_8)).isEqualTo("{}");
  }
}
