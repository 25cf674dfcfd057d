package io.switchboard.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.config.PusherConfig;
import io.switchboard.model.Publication;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pusher's request signature and data mapping, against values computed by Pusher's documented algorithm. */
class PusherHttpAuthTest {
  private static final PusherConfig.App APP = new PusherConfig.App("3", "278d425bdf160c739803",
      "7ad3773142a6692b25b8", false);
  private static final byte[] BODY = "{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}"
      .getBytes(StandardCharsets.UTF_8);

  private static MultiMap params(long ts, String md5, String signature) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    m.add("auth_key", APP.key()).add("auth_timestamp", Long.toString(ts)).add("auth_version", "1.0")
        .add("body_md5", md5);
    if (signature != null) {
      m.add("auth_signature", signature);
    }
    return m;
  }

  private static String sign(long ts, String md5) {
    return PusherSignatures.hmacHex(APP.secret(), "POST\n/apps/3/events\nauth_key=" + APP.key()
        + "&auth_timestamp=" + ts + "&auth_version=1.0&body_md5=" + md5);
  }

  @Test
  void acceptsAGenuineRequestAndRefusesEachForgery() {
    long now = 1_353_088_179;
    String md5 = PusherSignatures.md5Hex(BODY);
    assertThat(md5).isEqualTo("ec365a775a4cd0599faeb73354201b6f"); // the example of Pusher's docs
    assertThat(PusherHttpAuth.refusal(APP, "POST", "/apps/3/events", params(now, md5, sign(now, md5)), BODY, now))
        .isNull();
    assertThat(PusherHttpAuth.refusal(APP, "POST", "/apps/3/events", params(now, md5, sign(now, md5) + "0"), BODY,
        now)).contains("signature");
    assertThat(PusherHttpAuth.refusal(APP, "POST", "/apps/3/other", params(now, md5, sign(now, md5)), BODY, now))
        .contains("signature");
    assertThat(PusherHttpAuth.refusal(APP, "POST", "/apps/3/events", params(now, md5, sign(now, md5)), BODY,
        now + 601)).contains("Timestamp");
    String otherMd5 = PusherSignatures.md5Hex("{}".getBytes(StandardCharsets.UTF_8));
    assertThat(PusherHttpAuth.refusal(APP, "POST", "/apps/3/events", params(now, otherMd5, sign(now, otherMd5)),
        BODY, now)).contains("body_md5");
    assertThat(PusherHttpAuth.refusal(APP, "POST", "/apps/3/events", params(now, md5, null), BODY, now))
        .contains("signature");
  }

  @Test
  void channelAuthIsKeyColonHmacOfSocketAndChannel() {
    // The example of Pusher's auth signature docs.
    PusherConfig.App app = new PusherConfig.App("1", "278d425bdf160c739803", "7ad3773142a6692b25b8", false);
    String auth = "278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4";
    assertThat(PusherSignatures.channelAuthValid(app, "1234.1234", "private-foobar", null, auth)).isTrue();
    assertThat(PusherSignatures.channelAuthValid(app, "1234.1235", "private-foobar", null, auth)).isFalse();
    assertThat(PusherSignatures.channelAuthValid(app, "1234.1234", "private-foobar", null, null)).isFalse();
  }

  @Test
  void dataStringsRoundTrip() {
    for (String data : new String[] {"{\"a\":1}", "plain words", "\"quoted\"", "42", "[1,2]", ""}) {
      byte[] stored = PusherApi.storedData(data);
      Publication p = new Publication("pusher_1:c", 0, stored, true, null, Map.of());
      String back = PusherCodec.dataString(p);
      assertThat(back).as(data).isEqualTo(data);
    }
  }
}
