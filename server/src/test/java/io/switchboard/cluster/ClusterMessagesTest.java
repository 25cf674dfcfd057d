package io.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.JoinLeave;
import io.switchboard.model.ClientInfo;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What nodes send each other: publication data exactly, join/leave as events (no client frames). */
class ClusterMessagesTest {

  /** Through the event bus's wire form: JSON text. */
  private static JsonObject overTheWire(JsonObject msg) {
    return new JsonObject(msg.encode());
  }

  @Test
  void jsonDataTravelsAsAStringAndComesBackByteForByte() {
    String text = "{ \"t\" : \"h\u00e9 \uD83D\uDE00\\n\" }";
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    JsonObject msg = overTheWire(ClusterDispatch.putData(new JsonObject(), data, true));
    assertThat(msg.getString("d")).isEqualTo(text);
    assertThat(msg.containsKey("b")).isFalse();
    assertThat(ClusterDispatch.dataOf(msg)).isEqualTo(data);
  }

  @Test
  void otherBytesTravelAsBase64() {
    byte[] data = {0, (byte) 0xff, (byte) 0xc3, 0x28, '"'};
    JsonObject msg = overTheWire(ClusterDispatch.putData(new JsonObject(), data, false));
    assertThat(msg.containsKey("d")).isFalse();
    assertThat(msg.getString("b")).isEqualTo("AP/DKCI=");
    assertThat(ClusterDispatch.dataOf(msg)).isEqualTo(data);
  }

  @Test
  void joinAndLeaveTravelAsEvents() {
    ClientInfo info = new ClientInfo("ann", "c1", "{\"name\":\"Ann\"}", "{\"role\":\"a\"}");
    for (boolean join : new boolean[] {true, false}) {
      JoinLeave event = new JoinLeave("chat:r", join, info);
      JsonObject msg = overTheWire(ClusterDispatch.joinLeaveMessage(event));
      assertThat(msg.fieldNames()).containsExactlyInAnyOrder("t", "ch", "j", "i");
      assertThat(ClusterDispatch.joinLeaveOf(msg)).isEqualTo(event);
    }
    // What a node of an earlier version sends (a client frame) is ignored, not misread.
    JsonObject old = new JsonObject().put("t", "jl").put("ch", "chat:r").put("f", "{\"push\":{}}");
    assertThat(ClusterDispatch.joinLeaveOf(old)).isNull();
  }
}
