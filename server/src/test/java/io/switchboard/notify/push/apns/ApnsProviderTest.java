package io.switchboard.notify.push.apns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.config.ApnsConfig;
import io.switchboard.config.ConfigException;
import io.switchboard.notify.push.PushContent;
import io.switchboard.notify.push.PushDevice;
import io.switchboard.notify.push.PushResult;
import io.switchboard.notify.push.PushResult.Outcome;
import io.switchboard.testsupport.ApnsStandIn;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ApnsProvider} against {@link ApnsStandIn} over real TLS and HTTP/2. */
class ApnsProviderTest {
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  ApnsStandIn apns;
  ApnsProvider provider;

  @BeforeEach
  void start() throws Exception {
    apns = ApnsStandIn.start();
    provider = new ApnsProvider(apns.config(), TIMEOUT);
  }

  @AfterEach
  void stop() {
    provider.close();
    apns.close();
  }

  static PushDevice device(String id) {
    return new PushDevice(id, "user-1", PushDevice.APNS, ApnsStandIn.deviceToken(), null, null);
  }

  static PushContent content(String title, String body, String urgency, JsonObject apnsOverride) {
    return new PushContent(title, body, "https://app.example/inbox/7", Map.of("kind", "mention", "thread", "t-9"),
        3, 3600, urgency, "inbox:user-1:7", "inbox:user-1", 7, null, apnsOverride, null);
  }

  static PushContent typical() {
    return content("Ada mentioned you", "Lunch at noon?", "high", null);
  }

  @Test
  void anAlertCarriesEveryFieldAsApnsExpectsIt() throws Exception {
    PushDevice d = device("dev-1");
    long before = Instant.now().getEpochSecond();
    List<PushResult> r = provider.send(List.of(d), typical());

    assertThat(r).containsExactly(PushResult.sent(200));
    ApnsStandIn.Message m = apns.messagesFor(d.token()).getFirst();
    assertThat(m.version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(m.header("authorization")).startsWith("bearer ");
    assertThat(m.header("apns-topic")).isEqualTo("io.switchboard.test");
    assertThat(m.header("apns-push-type")).isEqualTo("alert");
    assertThat(m.header("apns-priority")).isEqualTo("10");
    assertThat(Long.parseLong(m.header("apns-expiration"))).isBetween(before + 3600, before + 3602);
    assertThat(m.header("apns-collapse-id")).isEqualTo("inbox:user-1:7");
    assertThat(m.header("apns-id")).isEqualTo(ApnsNotification.apnsId("inbox:user-1:7", "dev-1"));
    assertThat(m.payload()).isEqualTo(new JsonObject("""
        {"aps": {"alert": {"title": "Ada mentioned you", "body": "Lunch at noon?"}, "badge": 3, "sound": "default"},
         "kind": "mention", "thread": "t-9", "url": "https://app.example/inbox/7", "channel": "inbox:user-1",
         "offset": 7, "tag": "inbox:user-1:7"}"""));
  }

  @Test
  void aResendOfTheSameNotificationHasTheSameApnsIdAndOtherDevicesAnother() {
    PushDevice a = device("dev-a");
    PushDevice b = device("dev-b");
    provider.send(List.of(a, b), typical());
    provider.send(List.of(a), typical());

    List<ApnsStandIn.Message> toA = apns.messagesFor(a.token());
    assertThat(toA).hasSize(2);
    assertThat(toA.get(0).header("apns-id")).isEqualTo(toA.get(1).header("apns-id"));
    assertThat(apns.messagesFor(b.token()).getFirst().header("apns-id")).isNotEqualTo(toA.get(0).header("apns-id"));
    assertThat(UUID.fromString(toA.get(0).header("apns-id"))).isNotNull();
  }

  @Test
  void noTitleAndNoBodyIsABackgroundPushAtPriorityFive() {
    PushDevice d = device("dev-1");
    PushContent silent = new PushContent("", "", null, Map.of("sync", "1"), null, 60, "high", "t:1", null, 0, null,
        null, null);
    assertThat(provider.send(List.of(d), silent)).containsExactly(PushResult.sent(200));

    ApnsStandIn.Message m = apns.messagesFor(d.token()).getFirst();
    assertThat(m.header("apns-push-type")).isEqualTo("background");
    assertThat(m.header("apns-priority")).isEqualTo("5");
    assertThat(m.payload()).isEqualTo(new JsonObject("""
        {"aps": {"content-available": 1}, "sync": "1", "tag": "t:1"}"""));
  }

  @Test
  void aBadgeAloneIsAQuietAlertThatOnlySetsTheBadge() {
    PushDevice d = device("dev-1");
    PushContent badge = new PushContent("", "", null, Map.of(), 0, 60, "normal", "t:2", null, 0, null, null, null);
    provider.send(List.of(d), badge);

    ApnsStandIn.Message m = apns.messagesFor(d.token()).getFirst();
    assertThat(m.header("apns-push-type")).isEqualTo("alert");
    assertThat(m.aps()).isEqualTo(new JsonObject().put("badge", 0));
  }

  @Test
  void aLongTagBecomesADigestCollapseIdAndADataKeyNamedApsCannotReplaceAps() {
    PushDevice d = device("dev-1");
    String channel = "inbox:" + "ü".repeat(40);
    PushContent c = new PushContent("t", "b", null, Map.of("aps", "x", "k", "v"), null, 60, "high",
        channel + ":9", channel, 9, null, null, null);
    assertThat(provider.send(List.of(d), c)).containsExactly(PushResult.sent(200));

    ApnsStandIn.Message m = apns.messagesFor(d.token()).getFirst();
    assertThat(m.header("apns-collapse-id")).hasSize(43).isEqualTo(ApnsNotification.collapseId(channel + ":9"));
    assertThat(m.aps().getJsonObject("alert").getString("title")).isEqualTo("t");
    assertThat(m.payload().getString("k")).isEqualTo("v");
    assertThat(m.payload().getString("channel")).isEqualTo(channel);
  }

  @Test
  void lowUrgencyIsPriorityFive() {
    PushDevice d = device("dev-1");
    provider.send(List.of(d), content("t", "b", "low", null));
    provider.send(List.of(d), content("t", "b", "very-low", null));
    provider.send(List.of(d), content("t", "b", "normal", null));

    assertThat(apns.messagesFor(d.token())).extracting(m -> m.header("apns-priority")).containsExactly("5", "5", "10");
  }

  @Test
  void theApnsOverrideReplacesHeadersButNeverAuthorizationAndMergesThePayload() {
    PushDevice d = device("dev-1");
    JsonObject override = new JsonObject("""
        {"headers": {"apns-priority": "5", "apns-collapse-id": "thread-t-9", "Authorization": "bearer forged",
                     "apns-topic": "io.switchboard.test.voip"},
         "payload": {"aps": {"sound": "ping.caf", "mutable-content": 1, "alert": {"subtitle": "in #general"}},
                     "url": null, "extra": {"a": 1}}}""");
    assertThat(provider.send(List.of(d), content("Ada", "hi", "high", override))).containsExactly(PushResult.sent(200));

    ApnsStandIn.Message m = apns.messagesFor(d.token()).getFirst();
    assertThat(m.header("apns-priority")).isEqualTo("5");
    assertThat(m.header("apns-collapse-id")).isEqualTo("thread-t-9");
    assertThat(m.header("apns-topic")).isEqualTo("io.switchboard.test.voip");
    assertThat(m.header("authorization")).isNotEqualTo("bearer forged"); // and the stand-in verified it
    assertThat(m.aps()).isEqualTo(new JsonObject("""
        {"alert": {"title": "Ada", "body": "hi", "subtitle": "in #general"}, "badge": 3, "sound": "ping.caf",
         "mutable-content": 1}"""));
    assertThat(m.payload().containsKey("url")).isFalse();
    assertThat(m.payload().getJsonObject("extra")).isEqualTo(new JsonObject().put("a", 1));
  }

  @Test
  void aLongBodyIsShortenedToFitFourKilobytes() {
    PushDevice d = device("dev-1");
    String body = "é".repeat(3000) + "😀".repeat(1000);
    assertThat(provider.send(List.of(d), content("Ada", body, "high", null))).containsExactly(PushResult.sent(200));

    ApnsStandIn.Message m = apns.messagesFor(d.token()).getFirst();
    String sent = m.aps().getJsonObject("alert").getString("body");
    assertThat(sent).endsWith("\u2026").startsWith("éééé").hasSizeGreaterThan(1500);
    assertThat(Character.isHighSurrogate(sent.charAt(sent.length() - 2))).isFalse();
    assertThat(m.payload().encode().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(4096).isGreaterThan(3800);
    assertThat(m.payload().getString("tag")).isEqualTo("inbox:user-1:7");
  }

  @Test
  void aPayloadTooLargeEvenWithoutItsBodyIsRejectedWithoutAsking() {
    PushDevice d = device("dev-1");
    JsonObject override = new JsonObject().put("payload", new JsonObject().put("blob", "x".repeat(5000)));
    List<PushResult> r = provider.send(List.of(d), content("Ada", "hi", "high", override));

    assertThat(r.getFirst().outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(r.getFirst().reason()).contains("PayloadTooLarge");
    assertThat(apns.count()).isZero();
  }

  @Test
  void goneTokensAndRefusalsMapAsAppleDocumentsThem() {
    PushDevice gone = device("gone");
    PushDevice bad = device("bad");
    PushDevice fine = device("fine");
    apns.unregister(gone.token());
    apns.badToken(bad.token());

    List<PushResult> r = provider.send(List.of(gone, bad, fine), typical());

    assertThat(r).containsExactly(PushResult.gone(410, "Unregistered"), PushResult.gone(400, "BadDeviceToken"),
        PushResult.sent(200));
  }

  @Test
  void eachErrorStatusMapsToItsOutcome() {
    record Case(int status, Integer retryAfter, String reason, PushResult expected) {}
    List<Case> cases = List.of(
        new Case(429, 30, "TooManyRequests", PushResult.retry(429, Duration.ofSeconds(30), "TooManyRequests")),
        new Case(429, null, "TooManyProviderTokenUpdates", PushResult.retry(429, null, "TooManyProviderTokenUpdates")),
        new Case(500, null, "InternalServerError", PushResult.retry(500, null, "InternalServerError")),
        new Case(503, 5, "ServiceUnavailable", PushResult.retry(503, Duration.ofSeconds(5), "ServiceUnavailable")),
        new Case(503, null, "Shutdown", PushResult.retry(503, null, "Shutdown")),
        new Case(410, null, "ExpiredToken", PushResult.gone(410, "ExpiredToken")),
        new Case(400, null, "DeviceTokenNotForTopic", PushResult.gone(400, "DeviceTokenNotForTopic")),
        new Case(400, null, "BadCollapseId", PushResult.rejected(400, "BadCollapseId")),
        new Case(403, null, "Forbidden", PushResult.rejected(403, "Forbidden")),
        new Case(413, null, "PayloadTooLarge", PushResult.rejected(413, "PayloadTooLarge")));
    for (Case c : cases) {
      apns.failNext(1, c.status(), c.retryAfter(), c.reason());
      assertThat(provider.send(List.of(device("d")), typical())).as(c.reason()).containsExactly(c.expected());
    }
  }

  @Test
  void aProviderTokenApnsDoesNotAcceptIsRejected() {
    ApnsConfig c = apns.config();
    try (ApnsProvider wrongKid = new ApnsProvider(new ApnsConfig(c.keyFile(), "WRONGKEY01", c.teamId(), c.topic(),
        c.endpoint(), c.trustFile()), TIMEOUT)) {
      assertThat(wrongKid.send(List.of(device("d"), device("e")), typical()))
          .containsOnly(PushResult.rejected(403, "InvalidProviderToken"));
    }
    assertThat(apns.count()).isZero();
  }

  @Test
  void anotherKeyUnderTheRightKeyIdIsRejectedToo() throws Exception {
    Path other = Files.createTempFile("other", ".p8");
    ApnsStandIn.writeKey(other);
    ApnsConfig c = apns.config();
    try (ApnsProvider forged = new ApnsProvider(new ApnsConfig(other, c.keyId(), c.teamId(), c.topic(),
        c.endpoint(), c.trustFile()), TIMEOUT)) {
      assertThat(forged.send(List.of(device("d")), typical()))
          .containsExactly(PushResult.rejected(403, "InvalidProviderToken"));
    }
  }

  @Test
  void anExpiredProviderTokenIsRenewedOnceAndEachDeviceRetriedInTheSameCall() {
    assertThat(provider.send(List.of(device("first")), typical())).containsExactly(PushResult.sent(200));
    assertThat(apns.providerTokens()).isEqualTo(1);
    apns.expireProviderTokens();

    List<PushDevice> three = List.of(device("a"), device("b"), device("c"));
    assertThat(provider.send(three, typical())).containsOnly(PushResult.sent(200)).hasSize(3);

    assertThat(apns.refused("ExpiredProviderToken")).isEqualTo(3);
    assertThat(apns.providerTokens()).as("one new token for the three, not three").isEqualTo(2);
    assertThat(apns.count()).isEqualTo(4);
    provider.send(List.of(device("d")), typical());
    assertThat(apns.providerTokens()).as("the new one is reused").isEqualTo(2);
  }

  @Test
  void theProviderTokenIsReusedForFiftyMinutesThenRenewed() throws Exception {
    Instant[] now = {Instant.parse("2026-12-07T10:00:00Z")};
    Clock clock = new Clock() {
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      public Instant instant() {
        return now[0];
      }
    };
    ProviderToken t = new ProviderToken(apns.keyFile(), apns.keyId(), apns.teamId(), clock);
    String first = t.get();
    now[0] = now[0].plus(Duration.ofMinutes(49));
    assertThat(t.get()).isEqualTo(first);
    now[0] = now[0].plus(Duration.ofMinutes(2));
    String second = t.get();
    assertThat(second).isNotEqualTo(first);
    var claims = com.nimbusds.jwt.SignedJWT.parse(second);
    assertThat(claims.getHeader().getKeyID()).isEqualTo(apns.keyId());
    assertThat(claims.getJWTClaimsSet().getIssuer()).isEqualTo(apns.teamId());
    assertThat(claims.getJWTClaimsSet().getIssueTime().toInstant()).isEqualTo(now[0]);
    assertThat(t.renewAfter("an older token")).as("someone else renewed already").isEqualTo(second);
    assertThat(t.renewAfter(second)).isNotEqualTo(second);
  }

  @Test
  void twoHundredDevicesInOneCallShareOneConnection() throws Exception {
    provider.send(List.of(device("warm")), typical()); // open the connection
    List<PushDevice> devices = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      devices.add(device("dev-" + i));
    }
    apns.unregister(devices.get(17).token());
    long t0 = System.nanoTime();
    List<PushResult> r = provider.send(devices, typical());
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertThat(r).hasSize(200);
    assertThat(r.get(17)).isEqualTo(PushResult.gone(410, "Unregistered"));
    assertThat(r.stream().filter(x -> x.outcome() == Outcome.SENT)).hasSize(199);
    assertThat(apns.count()).isEqualTo(200);
    var ids = new HashSet<String>();
    for (PushDevice d : devices) {
      if (d != devices.get(17)) {
        assertThat(apns.messagesFor(d.token())).hasSize(1);
        ids.add(apns.messagesFor(d.token()).getFirst().header("apns-id"));
      }
    }
    assertThat(ids).hasSize(199);
    assertThat(apns.connections()).as("multiplexed on one HTTP/2 connection").isEqualTo(1);
    System.out.println("APNs: 200 devices in one call took " + ms + " ms");
  }

  @Test
  void coldProviderCalledFromFourThreadsAtOnceOpensOneConnection() throws Exception {
    List<java.util.concurrent.Future<List<PushResult>>> calls = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
      for (int t = 0; t < 4; t++) {
        List<PushDevice> devices = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          devices.add(device("dev-" + t + "-" + i));
        }
        calls.add(pool.submit(() -> provider.send(devices, typical())));
      }
      for (var call : calls) {
        assertThat(call.get()).containsOnly(PushResult.sent(200)).hasSize(50);
      }
    }
    assertThat(apns.count()).isEqualTo(200);
    assertThat(apns.connections()).isEqualTo(1);
  }

  @Test
  void fourSenderThreadsShareOneConnectionWithManyRequestsInFlight() throws Exception {
    provider.send(List.of(device("warm")), typical());
    int threads = 4;
    int calls = 10;
    long t0 = System.nanoTime();
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    List<java.util.concurrent.Future<Long>> sent = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        sent.add(pool.submit(() -> {
          long ok = 0;
          for (int c = 0; c < calls; c++) {
            List<PushDevice> devices = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
              devices.add(device("d" + i));
            }
            ok += provider.send(devices, typical()).stream().filter(r -> r.outcome() == Outcome.SENT).count();
          }
          return ok;
        }));
      }
      long total = 0;
      for (var f : sent) {
        total += f.get();
      }
      double perSecond = total / ((System.nanoTime() - t0) / 1e9);
      System.out.printf("APNs: %d pushes from %d threads at %.0f/s over %d connection(s), %.0f us CPU per push "
          + "(provider and stand-in)%n", total, threads, perSecond, apns.connections(),
          (os.getProcessCpuTime() - cpu0) / 1e3 / total);
      assertThat(total).isEqualTo(threads * calls * 100L);
      // A floor that catches requests going one at a time (4 threads x 1 in flight), not a benchmark: the
      // figure printed is what to compare, and it depends on what else the machine runs.
      assertThat(perSecond).as("pushes per second").isGreaterThan(100);
      assertThat(apns.connections()).isEqualTo(1);
    }
  }

  @Test
  void aServiceThatNeverAnswersGivesRetryWithinTheDeadline() {
    try (ApnsProvider quick = new ApnsProvider(apns.config(), Duration.ofSeconds(1))) {
      quick.send(List.of(device("warm")), typical());
      apns.stall();
      List<PushDevice> devices = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        devices.add(device("dev-" + i));
      }
      long t0 = System.nanoTime();
      List<PushResult> r = quick.send(devices, typical());
      long ms = (System.nanoTime() - t0) / 1_000_000;

      assertThat(r).hasSize(200).allSatisfy(x -> {
        assertThat(x.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(x.status()).isZero();
      });
      assertThat(ms).as("one deadline for all, not one per device").isBetween(900L, 3500L);
      assertThat(apns.stalledCount()).as("all 200 were in flight at once").isEqualTo(200);
      apns.unstall();
    }
  }

  @Test
  void nothingListeningIsRetry() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ApnsConfig c = apns.config();
    try (ApnsProvider p = new ApnsProvider(new ApnsConfig(c.keyFile(), c.keyId(), c.teamId(), c.topic(),
        URI.create("https://127.0.0.1:" + port), c.trustFile()), TIMEOUT)) {
      PushResult r = p.send(List.of(device("a")), typical()).getFirst();
      assertThat(r.outcome()).isEqualTo(Outcome.RETRY);
      assertThat(r.status()).isZero();
    }
  }

  @Test
  void withoutTheTrustFileTheStandInsCertificateIsNotTrusted() {
    ApnsConfig c = apns.config();
    try (ApnsProvider p = new ApnsProvider(new ApnsConfig(c.keyFile(), c.keyId(), c.teamId(), c.topic(),
        c.endpoint(), null), TIMEOUT)) {
      PushResult r = p.send(List.of(device("a")), typical()).getFirst();
      assertThat(r.outcome()).isEqualTo(Outcome.RETRY);
      assertThat(r.reason()).containsIgnoringCase("SSL");
    }
    assertThat(apns.count()).isZero();
  }

  @Test
  void aDeviceTokenThatIsNotHexIsNotSent() {
    PushDevice odd = new PushDevice("x", "u", PushDevice.APNS, "../../etc", null, null);
    assertThat(provider.send(List.of(odd), typical()).getFirst().outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(apns.count()).isZero();
  }

  @Test
  void keyFilesThatAreNotAP256Pkcs8KeyNameTheKeyAndItsVariable() throws Exception {
    Path garbage = Files.writeString(Files.createTempFile("k", ".p8"), "not a key");
    Path rsa = pem(KeyPairGenerator.getInstance("RSA"), null);
    Path p384 = pem(KeyPairGenerator.getInstance("EC"), new ECGenParameterSpec("secp384r1"));
    for (Path key : List.of(garbage, rsa, p384)) {
      ApnsConfig c = apns.config();
      assertThatThrownBy(() -> new ApnsProvider(new ApnsConfig(key, c.keyId(), c.teamId(), c.topic(), c.endpoint(),
          c.trustFile()), TIMEOUT))
          .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("push.apns.key_file"))
          .hasMessageContaining("SWITCHBOARD_PUSH_APNS_KEY_FILE");
    }
    Path notPem = Files.writeString(Files.createTempFile("ca", ".pem"), "nope");
    ApnsConfig c = apns.config();
    assertThatThrownBy(() -> new ApnsProvider(new ApnsConfig(c.keyFile(), c.keyId(), c.teamId(), c.topic(),
        c.endpoint(), notPem), TIMEOUT))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("push.apns.trust_file"))
        .hasMessageContaining("SWITCHBOARD_PUSH_APNS_TRUST_FILE");
  }

  private static Path pem(KeyPairGenerator g, ECGenParameterSpec spec) throws Exception {
    if (spec != null) {
      g.initialize(spec);
    }
    byte[] der = g.generateKeyPair().getPrivate().getEncoded();
    return Files.writeString(Files.createTempFile("k", ".p8"), "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(der) + "\n-----END PRIVATE KEY-----\n");
  }
}
