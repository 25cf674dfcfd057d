package io.switchboard.notify.push.fcm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.config.ConfigException;
import io.switchboard.config.FcmConfig;
import io.switchboard.notify.push.PushContent;
import io.switchboard.notify.push.PushDevice;
import io.switchboard.notify.push.PushResult;
import io.switchboard.notify.push.PushResult.Outcome;
import io.switchboard.testsupport.FcmStandIn;
import io.switchboard.testsupport.TestCa;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link FcmProvider} against {@link FcmStandIn} over real TLS (HTTP/2 for sends, HTTP/1.1 for the token). */
class FcmProviderTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static FcmStandIn fcm;
  private static FcmProvider provider;

  @BeforeAll
  static void start() throws Exception {
    fcm = FcmStandIn.start();
    provider = new FcmProvider(fcm.config(), TIMEOUT);
  }

  @AfterAll
  static void stop() {
    provider.close();
    fcm.close();
  }

  private static PushDevice device(String token) {
    return new PushDevice(UUID.randomUUID().toString(), "alice", PushDevice.FCM, token, null, null);
  }

  private static String token() {
    return "tok-" + UUID.randomUUID();
  }

  private static PushContent content(String title, String body, Integer badge, String urgency, JsonObject fcmOverride) {
    return new PushContent(title, body, "https://app.example/inbox/7", Map.of("kind", "mention"), badge, 600, urgency,
        "inbox:7", "inbox", 7, fcmOverride, null, null);
  }

  @Test
  void sendsEveryMappedFieldAndTheOverrideButNeverItsRecipient() {
    String t = token();
    JsonObject override = new JsonObject().put("message", new JsonObject()
        .put("token", "someone-else").put("topic", "news")
        .put("android", new JsonObject().put("notification", new JsonObject().put("color", "#ff0000")))
        .put("data", new JsonObject().put("extra", 5)));
    long before = Instant.now().getEpochSecond();
    List<PushResult> r = provider.send(List.of(device(t)), content("Hello", "You have mail", 3, "high", override));

    assertThat(r).containsExactly(PushResult.sent(200));
    FcmStandIn.Received got = fcm.messagesFor(t).getFirst();
    JsonObject m = got.message();
    assertThat(m.getString("token")).isEqualTo(t);
    assertThat(m.containsKey("topic")).isFalse();
    assertThat(m.getJsonObject("notification")).isEqualTo(new JsonObject().put("title", "Hello").put("body", "You have mail"));
    assertThat(m.getJsonObject("data")).isEqualTo(new JsonObject().put("kind", "mention")
        .put("url", "https://app.example/inbox/7").put("channel", "inbox").put("offset", "7").put("tag", "inbox:7")
        .put("extra", "5"));
    JsonObject android = m.getJsonObject("android");
    assertThat(android.getString("ttl")).isEqualTo("600s");
    assertThat(android.getString("priority")).isEqualTo("HIGH");
    assertThat(android.containsKey("collapse_key")).as("no collapse key: FCM keeps only 4 per device").isFalse();
    assertThat(android.getJsonObject("notification").getString("tag")).isEqualTo("inbox:7");
    assertThat(android.getJsonObject("notification"))
        .isEqualTo(new JsonObject().put("tag", "inbox:7").put("notification_count", 3).put("color", "#ff0000"));
    JsonObject apns = m.getJsonObject("apns");
    assertThat(apns.getJsonObject("headers").getString("apns-priority")).isEqualTo("10");
    long expiration = Long.parseLong(apns.getJsonObject("headers").getString("apns-expiration"));
    assertThat(expiration).isBetween(before + 600, Instant.now().getEpochSecond() + 600);
    assertThat(apns.getJsonObject("payload")).isEqualTo(new JsonObject().put("aps", new JsonObject().put("badge", 3)));
    assertThat(got.headers().get("Authorization")).startsWith("Bearer ya29.standin-");
    assertThat(got.headers().get("Content-Type")).startsWith("application/json");
  }

  @Test
  void emptyTitleAndBodyMakeADataMessage() {
    String t = token();
    List<PushResult> r = provider.send(List.of(device(t)), content("", "", 2, "normal", null));

    assertThat(r).containsExactly(PushResult.sent(200));
    JsonObject m = fcm.messagesFor(t).getFirst().message();
    assertThat(m.containsKey("notification")).isFalse();
    assertThat(m.getJsonObject("android").containsKey("notification")).isFalse();
    assertThat(m.getJsonObject("android").getString("priority")).isEqualTo("NORMAL");
    assertThat(m.getJsonObject("apns").getJsonObject("headers").getString("apns-priority")).isEqualTo("5");
    assertThat(m.getJsonObject("data").getString("tag")).isEqualTo("inbox:7");
  }

  @Test
  void deadTokensAreGoneOthersKeptAndOrderIsKept() {
    String ok = token();
    String uninstalled = token();
    String garbage = token();
    String foreign = token();
    fcm.unregister(uninstalled);
    fcm.invalid(garbage);
    fcm.otherProject(foreign);
    List<PushResult> r = provider.send(List.of(device(ok), device(uninstalled), device(garbage), device(foreign)),
        content("t", "b", null, "normal", null));

    assertThat(r.get(0)).isEqualTo(PushResult.sent(200));
    assertThat(r.get(1)).isEqualTo(PushResult.gone(404, "UNREGISTERED"));
    assertThat(r.get(2).outcome()).isEqualTo(Outcome.DEVICE_GONE);
    assertThat(r.get(2).status()).isEqualTo(400);
    assertThat(r.get(3)).isEqualTo(PushResult.gone(403, "SENDER_ID_MISMATCH"));
    assertThat(fcm.messagesFor(uninstalled)).isEmpty();
  }

  @Test
  void aPayloadFcmRefusesIsRejectedAndTheDeviceKept() {
    String t = token();
    JsonObject badKey = new JsonObject().put("message", new JsonObject().put("data", new JsonObject().put("google.x", "1")));
    List<PushResult> r = provider.send(List.of(device(t)), content("t", "b", null, "normal", badKey));

    assertThat(r.getFirst().outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(r.getFirst().status()).isEqualTo(400);
    assertThat(r.getFirst().reason()).contains("INVALID_ARGUMENT");
  }

  @Test
  void overloadAndServerErrorsAreRetriedWithRetryAfter() {
    fcm.failNext(1, 429, 7);
    assertThat(provider.send(List.of(device(token())), content("t", "b", null, "normal", null)))
        .containsExactly(PushResult.retry(429, Duration.ofSeconds(7), "QUOTA_EXCEEDED"));
    fcm.failNext(1, 503, 30);
    assertThat(provider.send(List.of(device(token())), content("t", "b", null, "normal", null)))
        .containsExactly(PushResult.retry(503, Duration.ofSeconds(30), "UNAVAILABLE"));
    fcm.failNext(1, 500, null);
    assertThat(provider.send(List.of(device(token())), content("t", "b", null, "normal", null)))
        .containsExactly(PushResult.retry(500, null, "INTERNAL"));
  }

  @Test
  void aLongBodyIsShortenedToFitAndAnOversizedRestIsRejectedUnsent() {
    String t = token();
    String longBody = "x".repeat(10_000);
    assertThat(provider.send(List.of(device(t)), content("t", longBody, null, "normal", null)))
        .containsExactly(PushResult.sent(200));
    JsonObject m = fcm.messagesFor(t).getFirst().message();
    String body = m.getJsonObject("notification").getString("body");
    assertThat(body).endsWith("\u2026").hasSizeLessThan(4096);
    m.remove("token");
    assertThat(m.encode().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(FcmMessage.MAX_PAYLOAD);

    int sends = fcm.sendRequests();
    PushContent hugeData = new PushContent("t", "b", null, Map.of("blob", "y".repeat(5000)), null, 60, "normal",
        "c:1", "c", 1, null, null, null);
    PushResult r = provider.send(List.of(device(token())), hugeData).getFirst();
    assertThat(r.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(r.reason()).contains("too big");
    assertThat(fcm.sendRequests()).isEqualTo(sends);
  }

  @Test
  void anExpiredAccessTokenIsRefreshedOnceAndTheDevicesResentInTheSameCall() {
    assertThat(provider.send(List.of(device(token())), content("t", "b", null, "normal", null)))
        .containsExactly(PushResult.sent(200));
    int tokensBefore = fcm.tokenRequests();
    int unauthorizedBefore = fcm.unauthorized();
    fcm.expireTokens();
    List<PushDevice> devices = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      devices.add(device(token()));
    }
    List<PushResult> r = provider.send(devices, content("t", "b", null, "normal", null));

    assertThat(r).hasSize(20).allMatch(x -> x.outcome() == Outcome.SENT);
    assertThat(fcm.tokenRequests()).isEqualTo(tokensBefore + 1); // one refresh for 20 rejections
    assertThat(fcm.unauthorized()).isEqualTo(unauthorizedBefore + 20);
    for (PushDevice d : devices) {
      assertThat(fcm.messagesFor(d.token())).hasSize(1);
    }
  }

  @Test
  void aTokenRefusedEvenAfterTheRefreshIsRetriedLaterNotLooped() throws Exception {
    try (FcmStandIn refusing = FcmStandIn.start()) {
      refusing.tokenLifetime(Duration.ZERO); // every token it issues is already expired: every send is a 401
      try (FcmProvider p = new FcmProvider(refusing.config(), TIMEOUT)) {
        List<PushResult> r = p.send(List.of(device(token()), device(token())), content("t", "b", null, "normal", null));
        assertThat(r).containsOnly(PushResult.retry(401, null, "UNAUTHENTICATED"));
      }
      assertThat(refusing.tokenRequests()).isEqualTo(2); // the first token, then one refresh
      assertThat(refusing.unauthorized()).isEqualTo(4);
      assertThat(refusing.count()).isZero();
    }
  }

  @Test
  void aTokenNearItsExpiryIsRefreshedBeforeUse() throws Exception {
    try (FcmStandIn shortLived = FcmStandIn.start()) {
      shortLived.tokenLifetime(Duration.ofSeconds(30)); // inside the one-minute margin: refreshed every time
      try (FcmProvider p = new FcmProvider(shortLived.config(), TIMEOUT)) {
        p.send(List.of(device(token())), content("t", "b", null, "normal", null));
        p.send(List.of(device(token())), content("t", "b", null, "normal", null));
      }
      assertThat(shortLived.tokenRequests()).isEqualTo(2);
      assertThat(shortLived.unauthorized()).isZero();
      assertThat(shortLived.count()).isEqualTo(2);
    }
  }

  @Test
  void twoHundredDevicesInOneCall() {
    List<PushDevice> devices = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      devices.add(device(token()));
    }
    int before = fcm.count();
    long t0 = System.nanoTime();
    List<PushResult> r = provider.send(devices, content("t", "b", 1, "high", null));
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertThat(r).hasSize(200).allMatch(x -> x.equals(PushResult.sent(200)));
    assertThat(fcm.count()).isEqualTo(before + 200);
    for (PushDevice d : devices) {
      assertThat(fcm.messagesFor(d.token())).hasSize(1);
    }
    System.out.println("FCM: 200 devices in one call took " + ms + " ms");
  }

  @Test
  void aServiceThatNeverAnswersGivesRetryStatusZeroWithinTheDeadline() throws Exception {
    try (FcmStandIn hung = FcmStandIn.start()) {
      Duration timeout = Duration.ofMillis(500);
      try (FcmProvider p = new FcmProvider(hung.config(), timeout)) {
        hung.stall();
        long t0 = System.nanoTime();
        List<PushResult> r = p.send(List.of(device(token()), device(token()), device(token())),
            content("t", "b", null, "normal", null));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(r).hasSize(3).allMatch(x -> x.outcome() == Outcome.RETRY && x.status() == 0);
        assertThat(took).isLessThan(timeout.multipliedBy(2).plusSeconds(2)); // not a hang
        assertThat(hung.stalledCount()).isPositive(); // they reached it: a hang, not a refused connection
      }
    }
  }

  @Test
  void noServiceListeningGivesRetryStatusZero() {
    FcmConfig nowhere = new FcmConfig(fcm.credentialsFile(), URI.create("https://127.0.0.1:1"), fcm.caFile());
    try (FcmProvider p = new FcmProvider(nowhere, TIMEOUT)) {
      PushResult r = p.send(List.of(device(token())), content("t", "b", null, "normal", null)).getFirst();
      assertThat(r.outcome()).isEqualTo(Outcome.RETRY);
      assertThat(r.status()).isZero();
    }
  }

  @Test
  void anUnreachableTokenServerGivesRetryWithinTheDeadline() throws Exception {
    Path sa = Files.createTempFile("sa", ".json");
    JsonObject json = new JsonObject(Files.readString(fcm.credentialsFile())).put("token_uri", "https://127.0.0.1:1/token");
    Files.writeString(sa, json.encode());
    Duration timeout = Duration.ofMillis(300);
    try (FcmProvider p = new FcmProvider(new FcmConfig(sa, fcm.endpoint(), fcm.caFile()), timeout)) {
      long t0 = System.nanoTime();
      PushResult r = p.send(List.of(device(token())), content("t", "b", null, "normal", null)).getFirst();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(timeout.multipliedBy(2).plusSeconds(2));
      assertThat(r.outcome()).isEqualTo(Outcome.RETRY);
      assertThat(r.reason()).startsWith("access token");
    } finally {
      Files.delete(sa);
    }
  }

  @Test
  void onlyTheTrustFileIsTrusted() {
    TestCa other = TestCa.create();
    Duration timeout = Duration.ofMillis(500); // the library retries a failed handshake until our deadline
    try (FcmProvider jdkCas = new FcmProvider(new FcmConfig(fcm.credentialsFile(), fcm.endpoint(), null), timeout);
        FcmProvider otherCa = new FcmProvider(new FcmConfig(fcm.credentialsFile(), fcm.endpoint(), other.caFile()), timeout)) {
      int before = fcm.tokenRequests();
      for (FcmProvider p : List.of(jdkCas, otherCa)) {
        PushResult r = p.send(List.of(device(token())), content("t", "b", null, "normal", null)).getFirst();
        assertThat(r.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(r.reason()).startsWith("access token");
      }
      assertThat(fcm.tokenRequests()).isEqualTo(before); // the TLS handshake failed: no request reached it
    }
  }

  @Test
  void unusableFilesFailTheStartNamingTheKey() throws Exception {
    Path bad = Files.createTempFile("sa", ".json");
    try {
      Files.writeString(bad, "{not json");
      assertThatThrownBy(() -> new FcmProvider(new FcmConfig(bad, fcm.endpoint(), null), TIMEOUT))
          .isInstanceOf(ConfigException.class).hasMessageContaining("push.fcm.credentials_file")
          .hasMessageContaining("SWITCHBOARD_PUSH_FCM_CREDENTIALS_FILE");
      Files.writeString(bad, new JsonObject().put("type", "authorized_user").put("client_id", "x")
          .put("client_secret", "y").put("refresh_token", "z").encode());
      assertThatThrownBy(() -> new FcmProvider(new FcmConfig(bad, fcm.endpoint(), null), TIMEOUT))
          .isInstanceOf(ConfigException.class).hasMessageContaining("push.fcm.credentials_file");
      JsonObject noProject = new JsonObject(Files.readString(fcm.credentialsFile()));
      noProject.remove("project_id");
      Files.writeString(bad, noProject.encode());
      assertThatThrownBy(() -> new FcmProvider(new FcmConfig(bad, fcm.endpoint(), null), TIMEOUT))
          .isInstanceOf(ConfigException.class).hasMessageContaining("project_id");
      Files.writeString(bad, "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n");
      assertThatThrownBy(() -> new FcmProvider(new FcmConfig(fcm.credentialsFile(), fcm.endpoint(), bad), TIMEOUT))
          .isInstanceOf(ConfigException.class).hasMessageContaining("push.fcm.trust_file")
          .hasMessageContaining("SWITCHBOARD_PUSH_FCM_TRUST_FILE");
    } finally {
      Files.delete(bad);
    }
  }
}
