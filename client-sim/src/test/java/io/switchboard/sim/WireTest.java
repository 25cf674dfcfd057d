package io.switchboard.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class WireTest {
  @Test
  void scansAPublicationPushAsTheServerWritesIt() {
    String data = Wire.payload(1_732_550_000_123_456L, 42, 100);
    String line = "{\"push\":{\"channel\":\"chat:r1\",\"pub\":{\"data\":" + data
        + ",\"info\":{\"user\":\"u1\",\"client\":\"c1\"},\"offset\":9001}}}";
    String ch = Wire.pushChannel(line);
    assertThat(ch).isEqualTo("chat:r1");
    assertThat(Wire.isPub(line, ch)).isTrue();
    assertThat(Wire.offset(line)).isEqualTo(9001);
    assertThat(Wire.timestamp(line)).isEqualTo(1_732_550_000_123_456L);
    assertThat(Wire.sequence(line)).isEqualTo(42);
  }

  @Test
  void anEphemeralPublicationHasNoOffset() {
    String line = "{\"push\":{\"channel\":\"news\",\"pub\":{\"data\":" + Wire.payload(5, 7, 80) + "}}}";
    assertThat(Wire.offset(line)).isZero();
    assertThat(Wire.sequence(line)).isEqualTo(7);
  }

  @Test
  void otherPushesAreNotPublications() {
    String join = "{\"push\":{\"channel\":\"chat:r1\",\"join\":{\"info\":{\"user\":\"u\",\"client\":\"c\"}}}}";
    assertThat(Wire.isPub(join, Wire.pushChannel(join))).isFalse();
    assertThat(Wire.pushChannel("{\"push\":{\"disconnect\":{\"code\":3001}}}")).isNull();
    assertThat(Wire.replyId("{\"id\":17,\"publish\":{}}")).isEqualTo(17);
    assertThat(Wire.replyId("{}")).isEqualTo(-1);
  }

  @Test
  void payloadHasTheRequestedSizeAndIsJson() {
    for (int size : new int[] {60, 100, 1000}) {
      String p = Wire.payload(1_732_550_000_000_000L, 123, size);
      assertThat(p.length()).isEqualTo(size);
      JsonObject j = new JsonObject(p);
      assertThat(j.getLong("sim_seq")).isEqualTo(123);
    }
  }

  @Test
  void commandsAreValidJson() {
    JsonObject c = new JsonObject(Wire.connect(1, "a.b.c", "{\"notify:#u\":" + Wire.recoverEntry(5, "ep") + "}"));
    assertThat(c.getJsonObject("connect").getString("token")).isEqualTo("a.b.c");
    assertThat(c.getJsonObject("connect").getJsonObject("subs").getJsonObject("notify:#u").getLong("offset"))
        .isEqualTo(5);
    JsonObject s = new JsonObject(Wire.subscribeRecover(2, "chat:\"x\"", 7, "e"));
    assertThat(s.getJsonObject("subscribe").getString("channel")).isEqualTo("chat:\"x\"");
    assertThat(s.getJsonObject("subscribe").getBoolean("recover")).isTrue();
    JsonObject p = new JsonObject(Wire.publish(3, "chat:r", Wire.payload(1, 1, 64)));
    assertThat(p.getJsonObject("publish").getJsonObject("data").getLong("sim_ts")).isEqualTo(1);
  }

  @Test
  void tokensAreHs256JwtsWithSubAndExp() throws Exception {
    String token = new Jwt("0123456789abcdef0123456789abcdef").token("alice", 2_000_000_000L);
    String[] parts = token.split("\\.");
    assertThat(parts).hasSize(3);
    java.util.Base64.Decoder d = java.util.Base64.getUrlDecoder();
    assertThat(new JsonObject(new String(d.decode(parts[0]))).getString("alg")).isEqualTo("HS256");
    JsonObject claims = new JsonObject(new String(d.decode(parts[1])));
    assertThat(claims.getString("sub")).isEqualTo("alice");
    assertThat(claims.getLong("exp")).isEqualTo(2_000_000_000L);
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec("0123456789abcdef0123456789abcdef".getBytes(), "HmacSHA256"));
    byte[] sig = mac.doFinal((parts[0] + "." + parts[1]).getBytes());
    assertThat(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sig)).isEqualTo(parts[2]);
  }
}
