package io.switchboard.testsupport;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.crypto.P256;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A local push service for tests (RFC 8030 §5): a real Vert.x HTTP server on 127.0.0.1 that records every push
 * request and answers it as a script says (201 by default; any status with headers; or never: a stalled request,
 * as a hung push service would). A message counts as <em>accepted</em> once a 2xx answer has been written for it.
 * Runs on its own Vert.x instance, so the server under test shares no threads with it.
 */
public final class PushServiceStub implements AutoCloseable {

  /** One received push request. */
  public record Received(String path, MultiMap headers, byte[] body, long atMillis) {
    public String header(String name) {
      return headers.get(name);
    }
  }

  /** How to answer: a status and headers, or {@link #STALL}. */
  public record Answer(int status, String retryAfter) {}

  public static final Answer CREATED = new Answer(201, null);
  public static final Answer STALL = new Answer(-1, null);

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  public final List<Received> received = new CopyOnWriteArrayList<>();
  public final List<Received> accepted = new CopyOnWriteArrayList<>();
  private final List<HttpServerRequest> stalled = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, List<Answer>> scripts = new ConcurrentHashMap<>();
  private volatile Function<Received, Answer> fallback = r -> CREATED;

  private PushServiceStub() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  public static PushServiceStub start() throws Exception {
    return new PushServiceStub();
  }

  public int port() {
    return server.actualPort();
  }

  public String origin() {
    return "http://127.0.0.1:" + port();
  }

  /** A fresh endpoint URL on this service. */
  public String endpoint(String name) {
    return origin() + "/push/" + name;
  }

  /** The next requests to {@code /push/<name>} get these answers in order; later ones the fallback. */
  public void script(String name, Answer... answers) {
    scripts.put("/push/" + name, new CopyOnWriteArrayList<>(List.of(answers)));
  }

  public void fallback(Function<Received, Answer> f) {
    fallback = f;
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(buf -> {
      Received r = new Received(req.path(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), buf.getBytes(),
          System.currentTimeMillis());
      received.add(r);
      Answer a = null;
      List<Answer> script = scripts.get(req.path());
      if (script != null && !script.isEmpty()) {
        a = script.remove(0);
      }
      if (a == null) {
        a = fallback.apply(r);
      }
      if (a.status() < 0) {
        stalled.add(req);
        return;
      }
      if (a.retryAfter() != null) {
        req.response().putHeader("Retry-After", a.retryAfter());
      }
      if (a.status() == 201) {
        req.response().putHeader("Location", origin() + "/message/" + received.size());
      }
      int status = a.status();
      req.response().setStatusCode(status).end().onSuccess(v -> {
        if (status >= 200 && status < 300) {
          accepted.add(r);
        }
      });
    });
  }

  public List<Received> receivedAt(String name) {
    return matching(received, r -> r.path().equals("/push/" + name));
  }

  public List<Received> acceptedAt(String name) {
    return matching(accepted, r -> r.path().equals("/push/" + name));
  }

  public int stalledCount() {
    return stalled.size();
  }

  private static List<Received> matching(List<Received> list, Predicate<Received> p) {
    List<Received> out = new ArrayList<>();
    for (Received r : list) {
      if (p.test(r)) {
        out.add(r);
      }
    }
    return out;
  }

  /** Waits until {@code condition} holds, up to {@code ms}. */
  public static void await(long ms, String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + ms;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  /**
   * Checks a request's VAPID authorization (RFC 8292): {@code vapid t=<jwt>, k=<key>}, k is the server's key, the JWT
   * is ES256 signed by it, aud is this service's origin, exp is in the future and at most 24 h away, sub is
   * {@code subject}. Returns the problem, or null.
   */
  public String vapidProblem(Received r, String serverPublicKey, String subject) {
    String auth = r.header("Authorization");
    if (auth == null || !auth.startsWith("vapid ")) {
      return "no vapid authorization: " + auth;
    }
    String t = null;
    String k = null;
    for (String part : auth.substring(6).split(",")) {
      String p = part.strip();
      if (p.startsWith("t=")) {
        t = p.substring(2);
      } else if (p.startsWith("k=")) {
        k = p.substring(2);
      }
    }
    if (!serverPublicKey.equals(k)) {
      return "k=" + k + " is not the server's key";
    }
    try {
      SignedJWT jwt = SignedJWT.parse(t);
      if (!jwt.getHeader().getAlgorithm().getName().equals("ES256")) {
        return "alg " + jwt.getHeader().getAlgorithm();
      }
      if (!jwt.verify(new ECDSAVerifier(P256.publicKey(P256.b64(k))))) {
        return "bad signature";
      }
      var claims = jwt.getJWTClaimsSet();
      Object aud = jwt.getPayload().toJSONObject().get("aud");
      if (!origin().equals(aud)) {
        return "aud " + aud;
      }
      Date exp = claims.getExpirationTime();
      long now = System.currentTimeMillis();
      if (exp == null || exp.getTime() <= now || exp.getTime() > now + 24 * 3600_000L) {
        return "exp " + exp;
      }
      if (!subject.equals(claims.getSubject())) {
        return "sub " + claims.getSubject();
      }
      return null;
    } catch (Exception e) {
      return e.toString();
    }
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
