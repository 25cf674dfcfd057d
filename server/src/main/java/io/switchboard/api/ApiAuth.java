package io.switchboard.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The API key check, before the body is read: {@code X-API-Key: <key>} or {@code Authorization: apikey <key>}.
 * Anything else is HTTP 401; with no key configured the API is disabled and every call is 401. The 401 carries a
 * JSON error (code 101, unauthorized) that says which of the two it is, so a new user can tell "the server has
 * no key" from "my key is wrong".
 */
final class ApiAuth implements Handler<RoutingContext> {
  static final String DISABLED = "{\"error\":{\"code\":101,\"message\":\"unauthorized: the server API is disabled:"
      + " set SWITCHBOARD_API_KEY (api.key) on the server\"}}";
  static final String WRONG_KEY = "{\"error\":{\"code\":101,\"message\":\"unauthorized: missing or wrong API key"
      + " (X-API-Key or Authorization: apikey <key>)\"}}";

  private final byte[] key;

  ApiAuth(String key) {
    this.key = key == null || key.isEmpty() ? null : key.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (key != null && matches(presented(ctx.request()))) {
      ctx.next();
    } else {
      ctx.response().setStatusCode(401).putHeader("Content-Type", "application/json")
          .end(key == null ? DISABLED : WRONG_KEY);
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
