package io.switchboard.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code GET /metrics} in the Prometheus text format. With {@code metrics.bearer_token} set, a scrape must
 * carry {@code Authorization: Bearer <token>} (Prometheus: {@code authorization: {credentials: ...}}); others
 * get 401. Without it the route is open, and the port must be kept private by the network (docs/operations.md).
 */
public final class MetricsRoutes {
  private static final String BEARER = "Bearer ";

  private MetricsRoutes() {}

  /** @param bearerToken the token a scrape must present, or "" for none */
  public static void mount(Router router, PrometheusMeterRegistry registry, String bearerToken) {
    byte[] expected = bearerToken.getBytes(StandardCharsets.UTF_8);
    router.get("/metrics").handler(ctx -> {
      if (expected.length > 0 && !authorized(ctx.request().getHeader("Authorization"), expected)) {
        ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"metrics\"")
            .putHeader("Content-Type", "text/plain; charset=utf-8").end("metrics need a bearer token\n");
        return;
      }
      ctx.response()
          .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
          .end(registry.scrape());
    });
  }

  private static boolean authorized(String header, byte[] expected) {
    if (header == null || header.length() <= BEARER.length()
        || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return false;
    }
    byte[] given = header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, expected); // constant time: the token is not guessed byte by byte
  }
}
