package io.switchboard.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;

/** {@code GET /metrics} in the Prometheus text format. */
public final class MetricsRoutes {
  private MetricsRoutes() {}

  public static void mount(Router router, PrometheusMeterRegistry registry) {
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(registry.scrape()));
  }
}
