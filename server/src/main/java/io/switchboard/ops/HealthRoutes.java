package io.switchboard.ops;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: PostgreSQL answers, migrations are done
 * and the node is not draining; a load balancer stops sending new clients when it turns false.
 */
public final class HealthRoutes {
  private HealthRoutes() {}

  public static void mount(Router router, NodeStatus status, io.vertx.sqlclient.Pool pool) {
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(ctx -> {
      JsonObject checks = new JsonObject()
          .put("migrations", status.migrated() ? "UP" : "DOWN")
          .put("draining", status.draining());
      if (!status.migrated() || status.draining()) {
        json(ctx, 503, checks.put("status", "DOWN").put("postgres", "UNKNOWN"));
        return;
      }
      pool.query("SELECT 1").execute().onComplete(ar -> {
        boolean pgUp = ar.succeeded();
        checks.put("postgres", pgUp ? "UP" : "DOWN").put("status", pgUp ? "UP" : "DOWN");
        json(ctx, pgUp ? 200 : 503, checks);
      });
    });
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
