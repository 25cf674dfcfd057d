package io.switchboard.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of a JWKS URL, fetched with the Vert.x HTTP client (never blocking) and cached as ready verifiers
 * by {@code kid}. A token naming an unknown {@code kid} may trigger a refresh, at most once per
 * {@code minRefreshInterval}; concurrent callers share the fetch in flight. Safe to use from any thread.
 */
final class JwksKeys {
  private static final Logger LOG = LoggerFactory.getLogger(JwksKeys.class);
  static final int MAX_BODY_BYTES = 1 << 20;
  static final long FETCH_TIMEOUT_MS = 5_000;

  /** A cached key: its verifier, and the {@code alg} the JWK pins (null when it pins none). */
  record Entry(JWSVerifier verifier, String alg) {}

  private final Context context;
  private final HttpClient client; // kept in a field: a collected HttpClient closes itself
  private final String url;
  private final long minRefreshNanos;
  private volatile Map<String, Entry> byKid = Map.of();
  private volatile long lastFetchStart;
  private volatile boolean fetchedOnce;
  private volatile boolean closed;
  private final AtomicReference<Future<Void>> inFlight = new AtomicReference<>();

  JwksKeys(Vertx vertx, String url, Duration minRefreshInterval) {
    // Fetches are rare (at most one a minute): no keep-alive, so no stale pooled connection can bite.
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000).setKeepAlive(false));
    this.context = vertx.getOrCreateContext();
    this.url = url;
    this.minRefreshNanos = minRefreshInterval.toNanos();
  }

  Entry get(String kid) {
    return byKid.get(kid);
  }

  /** Refreshes unless one was started less than the minimum interval ago; completes when done (never fails). */
  Future<Void> refreshIfAllowed() {
    Future<Void> running = inFlight.get();
    if (running != null) {
      return running;
    }
    if (closed || fetchedOnce && System.nanoTime() - lastFetchStart < minRefreshNanos) {
      return Future.succeededFuture();
    }
    return refresh();
  }

  /** Fetches now (sharing a fetch already in flight). The future never fails: errors are logged. */
  Future<Void> refresh() {
    while (true) {
      Future<Void> running = inFlight.get();
      if (running != null) {
        return running;
      }
      io.vertx.core.Promise<Void> promise = io.vertx.core.Promise.promise();
      if (!inFlight.compareAndSet(null, promise.future())) {
        continue;
      }
      lastFetchStart = System.nanoTime();
      fetchedOnce = true;
      // Always fetch on our own context: started from a foreign thread or context, the response callback
      // can run after the body has already arrived, and resp.body() then never completes.
      context.runOnContext(v -> fetch().onComplete(ar -> {
        if (ar.succeeded()) {
          byKid = ar.result();
          LOG.debug("JWKS {}: {} usable keys", url, byKid.size());
        } else if (!closed) {
          LOG.warn("JWKS {}: fetch failed, keeping {} cached keys: {}", url, byKid.size(),
              ar.cause().getMessage());
        }
        inFlight.set(null);
        promise.complete();
      }));
      return promise.future();
    }
  }

  private Future<Map<String, Entry>> fetch() {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
        .setTimeout(FETCH_TIMEOUT_MS).putHeader("Accept", "application/json");
    Future<io.vertx.core.http.HttpClientRequest> request;
    try {
      request = closed ? Future.failedFuture("closed") : client.request(options);
    } catch (RuntimeException e) { // "Client is closed" is thrown, not returned
      request = Future.failedFuture(e);
    }
    return request
        .compose(req -> req.send())
        .compose(resp -> {
          if (resp.statusCode() != 200) {
            return Future.failedFuture("HTTP " + resp.statusCode());
          }
          return resp.body();
        })
        .compose(body -> {
          if (body.length() > MAX_BODY_BYTES) {
            return Future.failedFuture("JWKS larger than " + MAX_BODY_BYTES + " bytes");
          }
          try {
            return Future.succeededFuture(parse(body.toString()));
          } catch (java.text.ParseException | RuntimeException e) {
            return Future.failedFuture("not a JWK set: " + e.getMessage());
          }
        });
  }

  /** Signature keys with a {@code kid}: RSA and EC. Others (and encryption keys) are skipped. */
  static Map<String, Entry> parse(String json) throws java.text.ParseException {
    Map<String, Entry> out = new HashMap<>();
    for (JWK jwk : JWKSet.parse(json).getKeys()) {
      if (jwk.getKeyID() == null || (jwk.getKeyUse() != null && jwk.getKeyUse() != KeyUse.SIGNATURE)) {
        continue;
      }
      try {
        JWSVerifier verifier;
        if (jwk instanceof RSAKey rsa) {
          verifier = new RSASSAVerifier(rsa);
        } else if (jwk instanceof ECKey ec) {
          verifier = new ECDSAVerifier(ec);
        } else {
          continue;
        }
        out.put(jwk.getKeyID(), new Entry(verifier, jwk.getAlgorithm() == null ? null
            : jwk.getAlgorithm().getName()));
      } catch (JOSEException e) {
        LOG.warn("JWKS key {} skipped: {}", jwk.getKeyID(), e.getMessage());
      }
    }
    return Map.copyOf(out);
  }

  Future<Void> close() {
    closed = true;
    return client.close();
  }
}
