package io.switchboard.ops;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: PostgreSQL answers, migrations are done
 * and the node is not draining; a load balancer stops sending new clients when it turns false. The PostgreSQL
 * probe has its own deadline ({@code postgres.ready_timeout}): a hung server turns the node not ready within
 * it instead of leaving the probe hanging.
 */
public final class HealthRoutes {
  private HealthRoutes() {}

  public static void mount(Router router, NodeStatus status, io.vertx.sqlclient.Pool pool, Duration readyTimeout) {
    long deadlineMs = Math.max(1, readyTimeout.toMillis());
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(ctx -> {
      JsonObject checks = new JsonObject()
          .put("migrations", status.migrated() ? "UP" : "DOWN")
          .put("draining", status.draining());
      if (!status.migrated() || status.draining()) {
        json(ctx, 503, checks.put("status", "DOWN").put("postgres", "UNKNOWN"));
        return;
      }
      // One answer per request: whichever of the probe and its timer comes first.
      boolean[] answered = {false};
      long timer = ctx.vertx().setTimer(deadlineMs, id -> {
        if (!answered[0]) {
          answered[0] = true;
          json(ctx, 503, checks.put("postgres", "TIMEOUT").put("status", "DOWN"));
        }
      });
      pool.query("SELECT 1").execute().onComplete(ar -> {
        ctx.vertx().cancelTimer(timer);
        if (answered[0]) {
          return;
        }
        answered[0] = true;
        boolean pgUp = ar.succeeded();
        checks.put("postgres", pgUp ? "UP" : "DOWN").put("status", pgUp ? "UP" : "DOWN");
        json(ctx, pgUp ? 200 : 503, checks);
      });
    });
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
