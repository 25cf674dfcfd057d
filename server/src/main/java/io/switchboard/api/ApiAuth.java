package io.switchboard.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The API key check, before the body is read: {@code X-API-Key: <key>} or {@code Authorization: apikey <key>}.
 * Anything else is HTTP 401; with no key configured the API is disabled and every call is 401.
 */
final class ApiAuth implements Handler<RoutingContext> {
  private final byte[] key;

  ApiAuth(String key) {
    this.key = key == null || key.isEmpty() ? null : key.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (key != null && matches(presented(ctx.request()))) {
      ctx.next();
    } else {
      ctx.response().setStatusCode(401).end();
    }
  }

  private static String presented(HttpServerRequest req) {
    String header = req.getHeader("X-API-Key");
    if (header != null) {
      return header.trim();
    }
    String auth = req.getHeader("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "apikey ", 0, 7)) {
      return auth.substring(7).trim();
    }
    return null;
  }

  /** Constant-time, so response timing does not tell how much of a guessed key was right. */
  private boolean matches(String presented) {
    return presented != null && MessageDigest.isEqual(key, presented.getBytes(StandardCharsets.UTF_8));
  }
}
