package io.switchboard.testsupport;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.config.FcmConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local Firebase Cloud Messaging for tests: ONE HTTPS server (HTTP/2 and HTTP/1.1, {@link TestCa}) on 127.0.0.1
 * that is both the OAuth2 token server of a service account it generates and the FCM HTTP v1 API.
 * <ul>
 *   <li>{@code POST /token}: the JWT-bearer grant as Google checks it (grant type; RS256 signature by the account's
 *       key, {@code kid}, {@code iss} = client_email, {@code aud} = Google's token URI (the library always sends
 *       that one, whatever {@code token_uri} says), the FCM scope, {@code iat}/{@code exp} at most an hour apart);
 *       answers {@code {access_token, expires_in, token_type}} or 400 {@code invalid_grant}.
 *   <li>{@code POST /v1/projects/{project}/messages:send}: a bearer it issued and not expired (else 401
 *       UNAUTHENTICATED), the project (else 403 PERMISSION_DENIED), a JSON {@code message} with exactly one of
 *       token/topic/condition, only known fields, string data values, a valid android ttl/priority, string APNs
 *       headers, at most 4096 bytes of payload (else 400 INVALID_ARGUMENT as FCM words it); then the programmed
 *       answers; then 200 {@code {"name": "projects/p/messages/<id>"}}, and the message is recorded.
 * </ul>
 * {@link #credentialsFile()}, {@link #endpoint()} and {@link #caFile()} are all a server needs, in this JVM or
 * another process ({@link #env()}). Thread-safe; handlers are cheap (the RSA check runs once per token).
 */
public final class FcmStandIn implements AutoCloseable {
  /** The JWT audience the real token server requires, and google-auth-library always sends. */
  public static final String GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";
  public static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
  private static final Pattern SEND = Pattern.compile("/v1/projects/([^/]+)/messages:send");
  private static final Set<String> MESSAGE_FIELDS = Set.of("name", "data", "notification", "android", "webpush",
      "apns", "fcm_options", "token", "topic", "condition");
  private static final Pattern TTL = Pattern.compile("\\d{1,15}(\\.\\d{1,9})?s");

  /** One accepted message (recorded just before its 200 is written). */
  public record Received(String token, JsonObject message, MultiMap headers, long atMillis) {}

  private record Failure(int status, Integer retryAfter) {}

  private final Vertx vertx = Vertx.vertx();
  private final TestCa ca = TestCa.create();
  private final HttpServer server;
  private final KeyPair key;
  private final String projectId = "switchboard-test";
  private final String clientEmail = "push@switchboard-test.iam.gserviceaccount.com";
  private final String keyId = hex(16);
  private final Path credentialsFile;
  private final SecureRandom random = new SecureRandom();
  private final ConcurrentHashMap<String, Long> issued = new ConcurrentHashMap<>(); // token -> expiry millis
  private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
  private final ConcurrentHashMap<String, List<Received>> byToken = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private final AtomicInteger sendRequests = new AtomicInteger();
  private final AtomicInteger unauthorized = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private final Set<String> unregistered = ConcurrentHashMap.newKeySet();
  private final Set<String> invalid = ConcurrentHashMap.newKeySet();
  private final Set<String> otherProject = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
  private final List<HttpServerRequest> stalled = new CopyOnWriteArrayList<>();
  private volatile long tokenLifetimeSeconds = 3600;
  private volatile boolean stall;

  private FcmStandIn() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    key = g.generateKeyPair();
    HttpServerOptions options = new HttpServerOptions().setSsl(true).setUseAlpn(true).setKeyCertOptions(ca.serverKeyCert())
        .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(100)); // as FCM's front ends announce
    server = vertx.createHttpServer(options).requestHandler(this::handle)
        .connectionHandler(c -> connections.incrementAndGet());
    server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    credentialsFile = Files.createTempFile("switchboard-fcm-service-account", ".json");
    Files.writeString(credentialsFile, serviceAccount().encodePrettily());
  }

  public static FcmStandIn start() throws Exception {
    return new FcmStandIn();
  }

  /** The generated service account, as the Firebase console's "Generate new private key" writes it. */
  private JsonObject serviceAccount() {
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    return new JsonObject().put("type", "service_account").put("project_id", projectId)
        .put("private_key_id", keyId).put("private_key", pem).put("client_email", clientEmail)
        .put("client_id", "1234567890").put("auth_uri", "https://accounts.google.com/o/oauth2/auth")
        .put("token_uri", origin() + "/token")
        .put("auth_provider_x509_cert_url", "https://www.googleapis.com/oauth2/v1/certs")
        .put("universe_domain", "googleapis.com");
  }

  public String origin() {
    return "https://127.0.0.1:" + server.actualPort();
  }

  public URI endpoint() {
    return URI.create(origin());
  }

  public Path credentialsFile() {
    return credentialsFile;
  }

  public Path caFile() {
    return ca.caFile();
  }

  public String projectId() {
    return projectId;
  }

  public FcmConfig config() {
    return new FcmConfig(credentialsFile, endpoint(), caFile());
  }

  /** The environment a separate server process needs to use this stand-in. */
  public Map<String, String> env() {
    return Map.of("SWITCHBOARD_PUSH_FCM_CREDENTIALS_FILE", credentialsFile.toString(),
        "SWITCHBOARD_PUSH_FCM_ENDPOINT", origin(), "SWITCHBOARD_PUSH_FCM_TRUST_FILE", caFile().toString());
  }

  // ---- programming ----

  /** Sends to this token get 404 UNREGISTERED (the app was uninstalled). */
  public void unregister(String token) {
    unregistered.add(token);
  }

  /** Sends to this token get 400 INVALID_ARGUMENT blaming {@code message.token}. */
  public void invalid(String token) {
    invalid.add(token);
  }

  /** Sends to this token get 403 SENDER_ID_MISMATCH (registered with another Firebase project). */
  public void otherProject(String token) {
    otherProject.add(token);
  }

  /** The next {@code n} authenticated sends get {@code status} (429, 500, 503...) with FCM's body, Retry-After if given. */
  public void failNext(int n, int status, Integer retryAfterSeconds) {
    for (int i = 0; i < n; i++) {
      failures.add(new Failure(status, retryAfterSeconds));
    }
  }

  /** Every access token issued so far is now expired: sends carrying one get 401. */
  public void expireTokens() {
    issued.replaceAll((t, exp) -> 0L);
  }

  /** {@code expires_in} of the tokens issued from now on (3600 by default, as Google's). */
  public void tokenLifetime(Duration lifetime) {
    tokenLifetimeSeconds = lifetime.toSeconds();
  }

  /** Sends are received but never answered (a hung service), until {@link #unstall()}. */
  public void stall() {
    stall = true;
  }

  public void unstall() {
    stall = false;
  }

  // ---- observing ----

  public int tokenRequests() {
    return tokenRequests.get();
  }

  /** Every send request, answered or not. */
  public int sendRequests() {
    return sendRequests.get();
  }

  /** Connections accepted so far (HTTP/2 multiplexes: a handful for any number of sends). */
  public int connections() {
    return connections.get();
  }

  /** Sends refused with 401. */
  public int unauthorized() {
    return unauthorized.get();
  }

  /** Accepted messages. */
  public int count() {
    return count.get();
  }

  public List<Received> messages() {
    return new ArrayList<>(received);
  }

  public List<Received> messagesFor(String token) {
    return new ArrayList<>(byToken.getOrDefault(token, List.of()));
  }

  /** Waits until at least {@code n} messages were accepted; returns them. */
  public List<Received> awaitMessages(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count.get() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("FCM stand-in: " + count.get() + " messages accepted, expected " + n);
      }
      Thread.sleep(5);
    }
    return messages();
  }

  // ---- serving ----

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(buf -> {
      if (req.method().name().equals("POST") && req.path().equals("/token")) {
        token(req, buf.toString(StandardCharsets.UTF_8));
        return;
      }
      Matcher m = SEND.matcher(req.path());
      if (req.method().name().equals("POST") && m.matches()) {
        send(req, m.group(1), buf.toString(StandardCharsets.UTF_8));
        return;
      }
      error(req, 404, "NOT_FOUND", "Requested entity was not found.", null, null);
    });
  }

  private void token(HttpServerRequest req, String form) {
    tokenRequests.incrementAndGet();
    Map<String, String> params = new HashMap<>();
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    String problem = grantProblem(req, params);
    if (problem != null) {
      req.response().setStatusCode(400).putHeader("Content-Type", "application/json; charset=utf-8")
          .end(new JsonObject().put("error", problem.startsWith("grant") ? "unsupported_grant_type" : "invalid_grant")
              .put("error_description", problem).encode());
      return;
    }
    String token = "ya29.standin-" + hex(24);
    long lifetime = tokenLifetimeSeconds;
    issued.put(token, System.currentTimeMillis() + lifetime * 1000);
    req.response().putHeader("Content-Type", "application/json; charset=utf-8").end(new JsonObject()
        .put("access_token", token).put("expires_in", lifetime).put("token_type", "Bearer").encode());
  }

  private String grantProblem(HttpServerRequest req, Map<String, String> params) {
    String ct = req.getHeader("Content-Type");
    if (ct == null || !ct.startsWith("application/x-www-form-urlencoded")) {
      return "grant: content type " + ct;
    }
    if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(params.get("grant_type"))) {
      return "grant_type " + params.get("grant_type");
    }
    try {
      SignedJWT jwt = SignedJWT.parse(params.get("assertion"));
      if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
        return "Invalid JWT: alg " + jwt.getHeader().getAlgorithm();
      }
      if (!keyId.equals(jwt.getHeader().getKeyID())) {
        return "Invalid JWT Signature: kid " + jwt.getHeader().getKeyID();
      }
      if (!jwt.verify(new RSASSAVerifier((RSAPublicKey) key.getPublic()))) {
        return "Invalid JWT Signature.";
      }
      JWTClaimsSet c = jwt.getJWTClaimsSet();
      if (!clientEmail.equals(c.getIssuer())) {
        return "Invalid JWT: iss " + c.getIssuer();
      }
      if (!List.of(GOOGLE_TOKEN_AUDIENCE).equals(c.getAudience())) {
        return "Invalid JWT: aud " + c.getAudience();
      }
      Object scope = c.getClaim("scope");
      if (!(scope instanceof String s) || !List.of(s.split(" ")).contains(SCOPE)) {
        return "Invalid JWT: scope " + scope;
      }
      Date iat = c.getIssueTime();
      Date exp = c.getExpirationTime();
      long now = System.currentTimeMillis();
      if (iat == null || exp == null || iat.getTime() > now + 60_000 || exp.getTime() <= now
          || exp.getTime() - iat.getTime() > 3600_000) {
        return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.";
      }
      return null;
    } catch (Exception e) {
      return "Invalid JWT: " + e.getMessage();
    }
  }

  private void send(HttpServerRequest req, String project, String body) {
    sendRequests.incrementAndGet();
    String auth = req.getHeader("Authorization");
    Long exp = auth != null && auth.startsWith("Bearer ") ? issued.get(auth.substring(7)) : null;
    if (exp == null || exp <= System.currentTimeMillis()) {
      unauthorized.incrementAndGet();
      req.response().putHeader("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\"");
      error(req, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access "
          + "token, login cookie or other valid authentication credential. See "
          + "https://developers.google.com/identity/sign-in/web/devconsole-project.", null, null);
      return;
    }
    if (!projectId.equals(project)) {
      error(req, 403, "PERMISSION_DENIED", "Permission 'cloudmessaging.messages.create' denied on resource "
          + "'//cloudresourcemanager.googleapis.com/projects/" + project + "' (or it may not exist).", null, null);
      return;
    }
    if (stall) {
      stalled.add(req);
      return;
    }
    Failure f = failures.poll();
    if (f != null) {
      if (f.retryAfter() != null) {
        req.response().putHeader("Retry-After", f.retryAfter().toString());
      }
      switch (f.status()) {
        case 429 -> error(req, 429, "RESOURCE_EXHAUSTED", "Quota exceeded.", "QUOTA_EXCEEDED", null);
        case 500 -> error(req, 500, "INTERNAL", "Internal error encountered.", "INTERNAL", null);
        case 503 -> error(req, 503, "UNAVAILABLE", "The service is currently unavailable.", "UNAVAILABLE", null);
        default -> error(req, f.status(), "UNKNOWN", "Programmed failure.", "UNSPECIFIED_ERROR", null);
      }
      return;
    }
    JsonObject message;
    try {
      JsonObject root = new JsonObject(body);
      if (!(root.getValue("message") instanceof JsonObject msg)) {
        badRequest(req, "message", "Invalid JSON payload received. Expected a message object.");
        return;
      }
      message = msg;
    } catch (RuntimeException e) {
      badRequest(req, "", "Invalid JSON payload received. " + e.getMessage());
      return;
    }
    String ct = req.getHeader("Content-Type");
    if (ct == null || !ct.startsWith("application/json")) {
      badRequest(req, "", "Invalid JSON payload received: content type " + ct);
      return;
    }
    String shape = shapeProblem(message);
    if (shape != null) {
      int colon = shape.indexOf(": ");
      badRequest(req, shape.substring(0, colon), shape.substring(colon + 2));
      return;
    }
    if (payloadBytes(message) > 4096) {
      error(req, 400, "INVALID_ARGUMENT", "Request contains an invalid argument.", null, null); // as FCM: no details
      return;
    }
    String token = message.getString("token");
    if (token != null && unregistered.contains(token)) {
      error(req, 404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED", null);
      return;
    }
    if (token != null && (invalid.contains(token) || token.isBlank())) {
      error(req, 400, "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token",
          "INVALID_ARGUMENT", new JsonObject().put("field", "message.token").put("description", "Invalid registration token"));
      return;
    }
    if (token != null && otherProject.contains(token)) {
      error(req, 403, "PERMISSION_DENIED", "SenderId mismatch", "SENDER_ID_MISMATCH", null);
      return;
    }
    Received r = new Received(token, message, MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
        System.currentTimeMillis());
    // recorded before answering, as FCM has it once it answers (and the client may read the answer first)
    received.add(r);
    if (token != null) {
      byToken.computeIfAbsent(token, t -> new CopyOnWriteArrayList<>()).add(r);
    }
    count.incrementAndGet();
    String id = Long.toUnsignedString(random.nextLong());
    req.response().putHeader("Content-Type", "application/json; charset=UTF-8")
        .end(new JsonObject().put("name", "projects/" + projectId + "/messages/0:" + id).encode());
  }

  /** What FCM's validation would refuse, as "field: description", or null. */
  private static String shapeProblem(JsonObject m) {
    for (String f : m.fieldNames()) {
      if (!MESSAGE_FIELDS.contains(f)) {
        return "message: Invalid JSON payload received. Unknown name \"" + f + "\" at 'message': Cannot find field.";
      }
    }
    int recipients = (m.containsKey("token") ? 1 : 0) + (m.containsKey("topic") ? 1 : 0) + (m.containsKey("condition") ? 1 : 0);
    if (recipients != 1) {
      return "message: " + (recipients == 0 ? "Recipient of the message is not set." : "Exactly one of token, topic or condition must be set.");
    }
    if (m.containsKey("token") && !(m.getValue("token") instanceof String)) {
      return "message.token: Invalid value at 'message.token' (TYPE_STRING)";
    }
    if (m.containsKey("notification")) {
      if (!(m.getValue("notification") instanceof JsonObject n)) {
        return "message.notification: Invalid value at 'message.notification'";
      }
      for (String f : n.fieldNames()) {
        if (!Set.of("title", "body", "image").contains(f) || !(n.getValue(f) instanceof String)) {
          return "message.notification." + f + ": Invalid value at 'message.notification." + f + "'";
        }
      }
    }
    if (m.containsKey("data")) {
      if (!(m.getValue("data") instanceof JsonObject d)) {
        return "message.data: Invalid value at 'message.data'";
      }
      int i = 0;
      for (String k : d.fieldNames()) {
        Object v = d.getValue(k);
        if (!(v instanceof String)) {
          return "message.data[" + i + "].value: Invalid value at 'message.data[" + i + "].value' (TYPE_STRING), " + v;
        }
        if (Set.of("from", "notification", "message_type").contains(k) || k.startsWith("google.") || k.startsWith("gcm.")) {
          return "message.data[" + i + "].key: Invalid data key: " + k;
        }
        i++;
      }
    }
    if (m.containsKey("android")) {
      if (!(m.getValue("android") instanceof JsonObject a)) {
        return "message.android: Invalid value at 'message.android'";
      }
      if (a.containsKey("ttl") && !(a.getValue("ttl") instanceof String t && TTL.matcher(t).matches())) {
        return "message.android.ttl: Invalid value at 'message.android.ttl' (type.googleapis.com/google.protobuf.Duration), " + a.getValue("ttl");
      }
      if (a.containsKey("priority") && !Set.of("NORMAL", "HIGH").contains(a.getValue("priority"))) {
        return "message.android.priority: Invalid value at 'message.android.priority' (type.googleapis.com/google.firebase.fcm.v1.AndroidMessagePriority), \"" + a.getValue("priority") + "\"";
      }
      if (a.containsKey("notification")) {
        if (!(a.getValue("notification") instanceof JsonObject an)) {
          return "message.android.notification: Invalid value at 'message.android.notification'";
        }
        if (an.containsKey("notification_count") && !(an.getValue("notification_count") instanceof Number)) {
          return "message.android.notification.notification_count: Invalid value (TYPE_INT32)";
        }
      }
    }
    if (m.containsKey("apns")) {
      if (!(m.getValue("apns") instanceof JsonObject a)) {
        return "message.apns: Invalid value at 'message.apns'";
      }
      if (a.containsKey("headers")) {
        if (!(a.getValue("headers") instanceof JsonObject h)) {
          return "message.apns.headers: Invalid value at 'message.apns.headers'";
        }
        for (String k : h.fieldNames()) {
          if (!(h.getValue(k) instanceof String)) {
            return "message.apns.headers[" + k + "].value: Invalid value (TYPE_STRING)";
          }
        }
      }
      if (a.containsKey("payload") && !(a.getValue("payload") instanceof JsonObject)) {
        return "message.apns.payload: Invalid value at 'message.apns.payload'";
      }
    }
    return null;
  }

  /** FCM counts the notification and data keys and values against its 4096-byte limit. */
  private static int payloadBytes(JsonObject m) {
    int n = 0;
    for (String part : List.of("notification", "data")) {
      if (m.getValue(part) instanceof JsonObject o) {
        for (String k : o.fieldNames()) {
          n += k.getBytes(StandardCharsets.UTF_8).length + String.valueOf(o.getValue(k)).getBytes(StandardCharsets.UTF_8).length;
        }
      }
    }
    return n;
  }

  private static void badRequest(HttpServerRequest req, String field, String description) {
    error(req, 400, "INVALID_ARGUMENT", description, null, new JsonObject().put("field", field).put("description", description));
  }

  /** The Google API error body: {@code {"error":{"code","message","status","details":[FcmError?, BadRequest?]}}}. */
  private static void error(HttpServerRequest req, int code, String status, String message, String fcmErrorCode,
      JsonObject fieldViolation) {
    JsonObject error = new JsonObject().put("code", code).put("message", message).put("status", status);
    JsonArray details = new JsonArray();
    if (fcmErrorCode != null) {
      details.add(new JsonObject().put("@type", "type.googleapis.com/google.firebase.fcm.v1.FcmError")
          .put("errorCode", fcmErrorCode));
    }
    if (fieldViolation != null) {
      details.add(new JsonObject().put("@type", "type.googleapis.com/google.rpc.BadRequest")
          .put("fieldViolations", new JsonArray().add(fieldViolation)));
    }
    if (!details.isEmpty()) {
      error.put("details", details);
    }
    req.response().setStatusCode(code).putHeader("Content-Type", "application/json; charset=UTF-8")
        .end(new JsonObject().put("error", error).encode());
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02x", x));
    }
    return s.toString();
  }

  /** Requests held by {@link #stall()}. */
  public int stalledCount() {
    return stalled.size();
  }

  @Override
  public void close() {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
      Files.deleteIfExists(credentialsFile);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
