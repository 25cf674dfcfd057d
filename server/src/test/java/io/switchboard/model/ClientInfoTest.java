package io.switchboard.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The hand-built encoding of a ClientInfo is the same JSON as the JsonObject one, escapes included. */
class ClientInfoTest {

  @Test
  void encodedIsTheSameJsonAsToJson() {
    ClientInfo[] cases = {
        new ClientInfo("alice", "c-1", null, null),
        new ClientInfo("", "c-2", "{\"name\":\"Al \\\"the\\\" ice\",\"n\":[1,2.5,null,true]}", "{\"role\":\"mod\"}"),
        new ClientInfo("q\"uote\\back\nline\u0001 ünï 😀", "c\t3", "\"just a string\"", "42"),
        new ClientInfo("u", "c", null, "{\"deep\":{\"a\":{\"b\":[{}]}}}"),
    };
    for (ClientInfo info : cases) {
      String encoded = info.encoded();
      assertThat(new JsonObject(encoded)).as(encoded).isEqualTo(info.toJson());
      assertThat(ClientInfo.fromJson(new JsonObject(encoded))).isEqualTo(info);
    }
  }
}
