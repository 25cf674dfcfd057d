package io.switchboard.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.api.ApiRoutes;
import io.switchboard.api.DemoRoutes;
import io.switchboard.api.PushApi;
import io.switchboard.notify.PushQueue;
import io.switchboard.notify.push.DeviceRegistry;
import io.switchboard.notify.push.PgPushQueue;
import io.switchboard.auth.TokenMinter;
import io.switchboard.notify.push.PushRoutes;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.core.Core;
import io.switchboard.ops.HealthRoutes;
import io.switchboard.ops.Metrics;
import io.switchboard.ops.NodeStatus;
import io.switchboard.ops.MetricsRoutes;
import io.switchboard.pusher.PusherApi;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Every plain HTTP route of a node: server API, health, metrics, demo tokens and the chat page. The listener
 * sends every request but the transports' to this router.
 */
public final class HttpRoutes {
  private HttpRoutes() {}

  public static Router create(Vertx vertx, SwitchboardConfig config, Core core, Metrics metrics, NodeStatus status,
      io.vertx.sqlclient.Pool pool, io.vertx.sqlclient.Pool readinessProbe, PrometheusMeterRegistry registry,
      TokenMinter demoMinter) {
    Router router = Router.router(vertx);
    PushRoutes.mount(router, config.push());
    PushApi push = new PushApi(new DeviceRegistry(pool), config.push().anyProvider()
        ? new PgPushQueue(vertx, pool) : PushQueue.NONE, config.push());
    ApiRoutes.mount(router, core, push, metrics, config.apiKey(), config.http().maxApiBodyBytes(),
        config.client().historyMaxLimit());
    PusherApi.mount(router, core, config.pusher(), config.http().maxApiBodyBytes());
    HealthRoutes.mount(router, status, readinessProbe, config.postgres().readyTimeout());
    MetricsRoutes.mount(router, registry, config.metricsToken());
    if (demoMinter != null) {
      DemoRoutes.mount(router, demoMinter);
    }
    router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
    return router;
  }
}
