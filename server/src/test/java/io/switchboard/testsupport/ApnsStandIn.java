package io.switchboard.testsupport;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.config.ApnsConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A local APNs for tests: an HTTP/2-only HTTPS server on 127.0.0.1 (its certificate from a {@link TestCa}) that
 * checks what APNs checks and answers as APNs answers (status and {@code {"reason": ...}} body, Apple's
 * "Handling notification responses from APNs"): the ES256 provider token (signed by the key this stand-in made,
 * its {@code kid}, {@code iss} = the team id, {@code iat} at most an hour old), {@code apns-topic} (the configured
 * bundle id or one of its {@code .suffix} topics), a hex device token, the apns-* headers' syntax, and a JSON
 * payload with {@code aps} of at most 4096 bytes. Every accepted message is recorded. Programmable:
 * {@link #unregister}, {@link #badToken}, {@link #failNext}, {@link #expireProviderTokens}, {@link #stall}.
 * A server in another process can use it too: {@link #env()} is all it needs (key file, ids, endpoint, CA file).
 * Thread-safe and cheap per request: a provider token's signature is verified once, then remembered.
 */
public final class ApnsStandIn implements AutoCloseable {

  /** One accepted notification: the device token, the parsed payload, the request headers and HTTP version. */
  public record Message(String token, JsonObject payload, MultiMap headers, HttpVersion version, long atMillis) {
    public String header(String name) {
      return headers.get(name);
    }

    public JsonObject aps() {
      return payload.getJsonObject("aps");
    }
  }

  private record Failure(int status, Integer retryAfterSeconds, String reason) {}

  private static final Pattern HEX_TOKEN = Pattern.compile("([0-9a-fA-F]{2}){8,100}");
  private static final Pattern UUID_FORM = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Set<String> PUSH_TYPES = Set.of("alert", "background", "location", "voip", "complication",
      "fileprovider", "mdm", "liveactivity", "pushtotalk", "widgets", "controls");

  private final TestCa ca;
  private final Path keyFile;
  private final ECPublicKey publicKey;
  private final String keyId = randomId();
  private final String teamId = randomId();
  private final String topic;
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;

  private final Queue<Message> messages = new ConcurrentLinkedQueue<>();
  private final Map<String, Queue<Message>> byToken = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
  /** Provider tokens whose signature and claims checked out, with their iat (seconds). */
  private final Map<String, Long> validTokens = new ConcurrentHashMap<>();
  private final Set<String> expiredTokens = ConcurrentHashMap.newKeySet();
  private final Set<String> unregistered = ConcurrentHashMap.newKeySet();
  private final Set<String> badTokens = ConcurrentHashMap.newKeySet();
  private final Queue<Failure> failures = new ConcurrentLinkedQueue<>();
  private final Queue<HttpServerRequest> stalled = new ConcurrentLinkedQueue<>();
  private volatile boolean stall;

  private ApnsStandIn(TestCa ca, String topic) throws Exception {
    this.ca = ca;
    this.topic = topic;
    Path dir = Files.createTempDirectory("switchboard-apns");
    this.keyFile = dir.resolve("AuthKey_" + keyId + ".p8");
    this.publicKey = (ECPublicKey) writeKey(keyFile).getPublic();
    HttpServerOptions options = new HttpServerOptions().setSsl(true).setUseAlpn(true)
        .setAlpnVersions(List.of(HttpVersion.HTTP_2)).setKeyCertOptions(ca.serverKeyCert())
        .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(1000)); // what APNs grants
    server = vertx.createHttpServer(options).requestHandler(this::handle)
        .connectionHandler(c -> connections.incrementAndGet());
    server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  /** A stand-in with its own test CA, for the topic {@code io.switchboard.test}. */
  public static ApnsStandIn start() throws Exception {
    return new ApnsStandIn(TestCa.create(), "io.switchboard.test");
  }

  /** A stand-in whose certificate comes from {@code ca} (shared with other stand-ins), for {@code topic}. */
  public static ApnsStandIn start(TestCa ca, String topic) throws Exception {
    return new ApnsStandIn(ca, topic);
  }

  /** Writes a new P-256 key to {@code file} as Apple's {@code .p8} does (PKCS#8 PEM) and returns it. */
  public static KeyPair writeKey(Path file) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = g.generateKeyPair();
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(pair.getPrivate().getEncoded());
    Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n");
    return pair;
  }

  public String origin() {
    return "https://127.0.0.1:" + server.actualPort();
  }

  public Path keyFile() {
    return keyFile;
  }

  public String keyId() {
    return keyId;
  }

  public String teamId() {
    return teamId;
  }

  public String topic() {
    return topic;
  }

  public TestCa ca() {
    return ca;
  }

  /** The configuration that points a provider here. */
  public ApnsConfig config() {
    return new ApnsConfig(keyFile, keyId, teamId, topic, URI.create(origin()), ca.caFile());
  }

  /** The same, as the environment of a server in another process. */
  public Map<String, String> env() {
    return Map.of("SWITCHBOARD_PUSH_APNS_KEY_FILE", keyFile.toString(), "SWITCHBOARD_PUSH_APNS_KEY_ID", keyId,
        "SWITCHBOARD_PUSH_APNS_TEAM_ID", teamId, "SWITCHBOARD_PUSH_APNS_TOPIC", topic,
        "SWITCHBOARD_PUSH_APNS_ENDPOINT", origin(), "SWITCHBOARD_PUSH_APNS_TRUST_FILE", ca.caFile().toString());
  }

  // ---- programmable answers ----

  /** From now on this device token answers 410 Unregistered (the app was removed, or the token changed). */
  public void unregister(String token) {
    unregistered.add(token.toLowerCase());
  }

  /** From now on this device token answers 400 BadDeviceToken (e.g. a sandbox token sent to production). */
  public void badToken(String token) {
    badTokens.add(token.toLowerCase());
  }

  /** The next {@code n} well-formed requests get {@code status} with Apple's usual reason for it. */
  public void failNext(int n, int status, Integer retryAfterSeconds) {
    failNext(n, status, retryAfterSeconds, defaultReason(status));
  }

  public void failNext(int n, int status, Integer retryAfterSeconds, String reason) {
    for (int i = 0; i < n; i++) {
      failures.add(new Failure(status, retryAfterSeconds, reason));
    }
  }

  /** Every provider token seen so far is stale: its next request gets 403 ExpiredProviderToken. */
  public void expireProviderTokens() {
    expiredTokens.addAll(validTokens.keySet());
  }

  /** From now on, well-formed requests are never answered (a hung APNs); {@link #unstall} ends it. */
  public void stall() {
    stall = true;
  }

  public void unstall() {
    stall = false;
  }

  // ---- what it saw ----

  public int count() {
    return count.get();
  }

  public List<Message> messages() {
    return List.copyOf(messages);
  }

  public List<Message> messagesFor(String token) {
    Queue<Message> q = byToken.get(token.toLowerCase());
    return q == null ? List.of() : List.copyOf(q);
  }

  /** How many requests were refused with this reason (e.g. "ExpiredProviderToken"). */
  public int refused(String reason) {
    AtomicInteger n = refusals.get(reason);
    return n == null ? 0 : n.get();
  }

  /** Distinct valid provider tokens presented so far. */
  public int providerTokens() {
    return validTokens.size();
  }

  /** TCP (TLS) connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  public int stalledCount() {
    return stalled.size();
  }

  /** Waits until at least {@code n} messages were accepted; returns them. */
  public List<Message> awaitMessages(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count.get() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("APNs stand-in: " + count.get() + " of " + n + " messages within " + timeout);
      }
      Thread.sleep(5);
    }
    return messages();
  }

  // ---- the checks ----

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(body -> answer(req, body));
  }

  private void answer(HttpServerRequest req, Buffer body) {
    if (req.version() != HttpVersion.HTTP_2) {
      refuse(req, 505, "HTTP2Required", null); // APNs speaks HTTP/2 only
      return;
    }
    if (req.method() != HttpMethod.POST) {
      refuse(req, 405, "MethodNotAllowed", null);
      return;
    }
    String path = req.path();
    if (path == null || !path.startsWith("/3/device/")) {
      refuse(req, 404, "BadPath", null);
      return;
    }
    String token = path.substring("/3/device/".length()).toLowerCase();
    if (token.isEmpty()) {
      refuse(req, 400, "MissingDeviceToken", null);
      return;
    }
    for (String h : List.of("authorization", "apns-id", "apns-topic", "apns-push-type", "apns-priority",
        "apns-expiration", "apns-collapse-id")) {
      if (req.headers().getAll(h).size() > 1) {
        refuse(req, 400, "DuplicateHeaders", null);
        return;
      }
    }
    String tokenProblem = providerTokenProblem(req.getHeader("authorization"));
    if (tokenProblem != null) {
      refuse(req, 403, tokenProblem, null);
      return;
    }
    String headerProblem = headerProblem(req);
    if (headerProblem != null) {
      refuse(req, 400, headerProblem, null);
      return;
    }
    if (!HEX_TOKEN.matcher(token).matches() || badTokens.contains(token)) {
      refuse(req, 400, "BadDeviceToken", null);
      return;
    }
    if (body.length() == 0) {
      refuse(req, 400, "PayloadEmpty", null);
      return;
    }
    if (body.length() > 4096) {
      refuse(req, 413, "PayloadTooLarge", null);
      return;
    }
    JsonObject payload;
    try {
      payload = body.toJsonObject();
    } catch (RuntimeException e) {
      payload = null;
    }
    if (payload == null || !(payload.getValue("aps") instanceof JsonObject)) {
      refuse(req, 400, "BadPayload", null); // Apple documents no reason for this one
      return;
    }
    if (stall) {
      stalled.add(req);
      return;
    }
    Failure f = failures.poll();
    if (f != null) {
      refuse(req, f.status(), f.reason(), f.retryAfterSeconds());
      return;
    }
    if (unregistered.contains(token)) {
      count(refusals, "Unregistered");
      reply(req, 410, new JsonObject().put("reason", "Unregistered").put("timestamp", System.currentTimeMillis()),
          null);
      return;
    }
    Message m = new Message(token, payload, MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
        req.version(), System.currentTimeMillis());
    messages.add(m);
    byToken.computeIfAbsent(token, t -> new ConcurrentLinkedQueue<>()).add(m);
    count.incrementAndGet();
    String apnsId = req.getHeader("apns-id");
    req.response().putHeader("apns-id", apnsId != null ? apnsId : java.util.UUID.randomUUID().toString())
        .setStatusCode(200).end();
  }

  /** Null when the bearer token is a valid, fresh provider token of this team's key. */
  private String providerTokenProblem(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "bearer ", 0, 7)) {
      return "MissingProviderToken";
    }
    String jwt = authorization.substring(7).strip();
    Long iat = validTokens.get(jwt);
    if (iat == null) {
      iat = verify(jwt);
      if (iat == null) {
        return "InvalidProviderToken";
      }
      validTokens.put(jwt, iat);
    }
    long now = System.currentTimeMillis() / 1000;
    if (expiredTokens.contains(jwt) || iat < now - 3600) {
      return "ExpiredProviderToken";
    }
    if (iat > now + 60) {
      return "InvalidProviderToken"; // issued in the future
    }
    return null;
  }

  private Long verify(String jwt) {
    try {
      SignedJWT t = SignedJWT.parse(jwt);
      if (!JWSAlgorithm.ES256.equals(t.getHeader().getAlgorithm()) || !keyId.equals(t.getHeader().getKeyID())
          || !t.verify(new ECDSAVerifier(publicKey))) {
        return null;
      }
      var claims = t.getJWTClaimsSet();
      if (!teamId.equals(claims.getIssuer()) || claims.getIssueTime() == null) {
        return null;
      }
      return claims.getIssueTime().getTime() / 1000;
    } catch (Exception e) {
      return null;
    }
  }

  private String headerProblem(HttpServerRequest req) {
    String t = req.getHeader("apns-topic");
    if (t == null || t.isEmpty()) {
      return "MissingTopic";
    }
    if (!t.equals(topic) && !t.startsWith(topic + ".")) {
      return "TopicDisallowed";
    }
    String type = req.getHeader("apns-push-type");
    if (type != null && !PUSH_TYPES.contains(type)) {
      return "InvalidPushType";
    }
    String priority = req.getHeader("apns-priority");
    if (priority != null && (!Set.of("1", "5", "10").contains(priority)
        || "background".equals(type) && priority.equals("10"))) {
      return "BadPriority";
    }
    String expiration = req.getHeader("apns-expiration");
    if (expiration != null && !expiration.matches("[0-9]{1,12}")) {
      return "BadExpirationDate";
    }
    String id = req.getHeader("apns-id");
    if (id != null && !UUID_FORM.matcher(id).matches()) {
      return "BadMessageId";
    }
    String collapse = req.getHeader("apns-collapse-id");
    if (collapse != null && collapse.getBytes(StandardCharsets.UTF_8).length > 64) {
      return "BadCollapseId";
    }
    return null;
  }

  private void refuse(HttpServerRequest req, int status, String reason, Integer retryAfterSeconds) {
    count(refusals, reason);
    reply(req, status, new JsonObject().put("reason", reason), retryAfterSeconds);
  }

  private static void reply(HttpServerRequest req, int status, JsonObject body, Integer retryAfterSeconds) {
    if (retryAfterSeconds != null) {
      req.response().putHeader("retry-after", Integer.toString(retryAfterSeconds));
    }
    req.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  private static void count(Map<String, AtomicInteger> counts, String key) {
    counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  private static String defaultReason(int status) {
    return switch (status) {
      case 400 -> "BadMessageId";
      case 403 -> "Forbidden";
      case 404 -> "BadPath";
      case 405 -> "MethodNotAllowed";
      case 410 -> "Unregistered";
      case 413 -> "PayloadTooLarge";
      case 429 -> "TooManyRequests";
      case 500 -> "InternalServerError";
      case 503 -> "ServiceUnavailable";
      default -> "Status" + status;
    };
  }

  private static String randomId() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    SecureRandom r = new SecureRandom();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /** A device token as iOS makes them: 32 random bytes, hex. */
  public static String deviceToken() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02x", x));
    }
    return s.toString();
  }

  @Override
  public void close() {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }
}
