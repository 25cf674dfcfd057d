package io.switchboard.notify.push;

import io.switchboard.crypto.P256;
import io.switchboard.config.EndpointAllowlist;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.testsupport.BrowserSubscription;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPrivateKeySpec;
import org.junit.jupiter.api.Test;

/** RFC 8291 encryption: the RFC's own example byte for byte, and a round trip through a browser-side decryptor. */
class Aes128gcmTest {
  // RFC 8291, Appendix A
  static final String PLAINTEXT = "When I grow up, I want to be a watermelon";
  static final String AS_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
  static final String AS_PUBLIC =
      "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
  static final String UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
  static final String UA_PUBLIC =
      "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
  static final String SALT = "DGv6ra1nlYgDCS1FRnbzlw";
  static final String AUTH = "BTBZMqHH6r4Tts7J_aSIgg";
  static final String BODY = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLoc"
      + "InmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

  static KeyPair pair(String pub, String priv) throws Exception {
    ECPrivateKey p = (ECPrivateKey) KeyFactory.getInstance("EC")
        .generatePrivate(new ECPrivateKeySpec(new BigInteger(1, P256.b64(priv)), P256.PARAMS));
    return new KeyPair(P256.publicKey(P256.b64(pub)), p);
  }

  @Test
  void reproducesTheRfc8291Example() throws Exception {
    byte[] body = Aes128gcm.encrypt(PLAINTEXT.getBytes(StandardCharsets.UTF_8), P256.publicKey(P256.b64(UA_PUBLIC)),
        P256.b64(AUTH), pair(AS_PUBLIC, AS_PRIVATE), P256.b64(SALT));
    assertThat(P256.b64(body)).isEqualTo(BODY);
    BrowserSubscription ua = new BrowserSubscription("https://x", pair(UA_PUBLIC, UA_PRIVATE), P256.b64(AUTH));
    assertThat(ua.decrypt(P256.b64(BODY))).isEqualTo(PLAINTEXT);
  }

  @Test
  void roundTripWithFreshKeysAndTheLargestPayload() throws Exception {
    BrowserSubscription ua = new BrowserSubscription("https://x");
    String text = "é".repeat(Aes128gcm.MAX_PLAINTEXT / 2) + "x".repeat(Aes128gcm.MAX_PLAINTEXT % 2);
    byte[] body = Aes128gcm.encrypt(text.getBytes(StandardCharsets.UTF_8), ua.publicKey, ua.auth);
    assertThat(body.length).isEqualTo(86 + Aes128gcm.RECORD_SIZE);
    assertThat(ua.decrypt(body)).isEqualTo(text);
    byte[] tampered = body.clone();
    tampered[100] ^= 1;
    assertThatThrownBy(() -> ua.decrypt(tampered)).isInstanceOf(java.security.GeneralSecurityException.class);
    assertThatThrownBy(() -> Aes128gcm.encrypt(new byte[Aes128gcm.MAX_PLAINTEXT + 1], ua.publicKey, ua.auth))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void longNotificationsAreShortenedToFitOneRecord() throws Exception {
    PushMessage m = PushMessage.of(content("b".repeat(10_000), "high"));
    assertThat(m.plaintext().length).isLessThanOrEqualTo(Aes128gcm.MAX_PLAINTEXT);
    var o = new io.vertx.core.json.JsonObject(new String(m.plaintext(), StandardCharsets.UTF_8));
    assertThat(o.getString("body")).endsWith("\u2026");
    assertThat(o.getString("tag")).isEqualTo("notify:#alice:7");
    assertThat(o.getString("url")).isEqualTo("/x");
    assertThat(m.ttlSeconds()).isEqualTo(60);
    assertThat(m.urgency()).isEqualTo("high");
    assertThat(m.topic()).hasSize(32).matches("[A-Za-z0-9_-]+")
        .isEqualTo(PushMessage.of(content("short", "normal")).topic());
  }

  @Test
  void multibyteBodiesAreCutByTheirBytesNotTheirCharacters() {
    PushMessage m = PushMessage.of(content("\u00e9".repeat(6_000), "normal"));
    assertThat(m.plaintext().length).isLessThanOrEqualTo(Aes128gcm.MAX_PLAINTEXT);
    String body = new io.vertx.core.json.JsonObject(new String(m.plaintext(), StandardCharsets.UTF_8)).getString("body");
    assertThat(body).endsWith("\u2026");
    assertThat(body.length()).as("about 4 KiB of two-byte characters, not an empty body").isGreaterThan(1800);
  }

  @Test
  void storedNotificationsAreReadLenientlyAndTheWebPushObjectIsMergedIn() {
    PushJobStore.Job job = new PushJobStore.Job(1, "alice", "notify:#alice", 7, null,
        "{\"title\":\"T\",\"urgency\":\"urgent\",\"badge\":\"x\",\"data\":{\"n\":1,\"s\":\"v\"},"
            + "\"webpush\":{\"icon\":\"/i.png\"}}", "notify:#alice:7", 1, java.time.Instant.now(),
        java.time.Instant.now());
    PushContent c = PushContents.of(job, 30, 4L);
    assertThat(c.urgency()).isEqualTo("normal");
    assertThat(c.badge()).isEqualTo(4);
    assertThat(c.data()).containsEntry("n", "1").containsEntry("s", "v");
    var o = new io.vertx.core.json.JsonObject(new String(PushMessage.of(c).plaintext(), StandardCharsets.UTF_8));
    assertThat(o.getString("icon")).isEqualTo("/i.png");
    assertThat(o.getInteger("badge")).isEqualTo(4);
    assertThat(o.getLong("offset")).isEqualTo(7);
  }

  @Test
  void aSendWithoutABadgeHasNone() {
    PushJobStore.Job job = new PushJobStore.Job(2, null, null, 0, java.util.List.of("d1"), "{\"title\":\"T\"}",
        "send:x", 1, java.time.Instant.now(), java.time.Instant.now());
    assertThat(PushContents.of(job, 30, null).badge()).isNull();
    assertThat(PushContents.of(job, 30, null).channel()).isNull();
  }

  private static PushContent content(String body, String urgency) {
    return new PushContent("T", body, "/x", java.util.Map.of(), null, 60, urgency, "notify:#alice:7",
        "notify:#alice", 7, null, null, null);
  }

  @Test
  void allowlistMatchesExactOriginsAndSubdomainsOnly() throws Exception {
    EndpointAllowlist a = EndpointAllowlist.parse(java.util.List.of("https://fcm.googleapis.com",
        "https://*.notify.windows.com", "https://push.example:8443"), false);
    assertThat(a.check("https://fcm.googleapis.com/fcm/send/abc")).isNotNull();
    assertThat(a.check("https://FCM.googleapis.com:443/fcm/send/abc")).isNotNull();
    assertThat(a.check("https://wns2-by3p.notify.windows.com/w/?token=x")).isNotNull();
    assertThat(a.check("https://push.example:8443/x")).isNotNull();
    for (String refused : new String[] {"https://notify.windows.com/x", "https://evil.com/fcm.googleapis.com",
        "https://fcm.googleapis.com.evil.com/x", "http://fcm.googleapis.com/x", "https://push.example/x",
        "https://fcm.googleapis.com:8443/x", "https://169.254.169.254/latest", "https://localhost/x"}) {
      assertThatThrownBy(() -> a.check(refused)).as(refused).isInstanceOfSatisfying(EndpointAllowlist.Refused.class,
          r -> assertThat(r.malformed).isFalse());
    }
    for (String malformed : new String[] {"fcm.googleapis.com/x", "https://user@fcm.googleapis.com/x",
        "https://fcm.googleapis.com/x#f", "ftp://fcm.googleapis.com/x", "https://fcm.googleapis.com/" + "a".repeat(3000),
        "https://fcm.googleapis.com/a b"}) {
      assertThatThrownBy(() -> a.check(malformed)).as(malformed)
          .isInstanceOfSatisfying(EndpointAllowlist.Refused.class, r -> assertThat(r.malformed).isTrue());
    }
  }

  @Test
  void ecPublicKeyOfTheVectorIsWhatTheRfcSays() throws Exception {
    assertThat(P256.b64(P256.encode((ECPublicKey) pair(AS_PUBLIC, AS_PRIVATE).getPublic()))).isEqualTo(AS_PUBLIC);
  }
}
