package io.switchboard.api;

import io.switchboard.Node;
import io.vertx.ext.web.Router;

/** The Centrifugo-compatible server API under {@code /api}. (Methods arrive in the next commit.) */
public final class ApiRoutes {
  private ApiRoutes() {}

  public static void mount(Router router, Node node) {
    router.post("/api/:method").handler(ctx -> ctx.response().setStatusCode(404).end());
  }
}
