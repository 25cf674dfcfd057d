package io.switchboard.notify.push;

import io.switchboard.config.PushConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * {@code GET /api/push/vapid-public-key}: {@code {"key":"<base64url>"}}, the applicationServerKey a page passes to
 * {@code PushManager.subscribe}. Public (no API key: browsers fetch it, and it is a public key); 404 when push is
 * disabled.
 */
public final class PushRoutes {
  public static final String PATH = "/api/push/vapid-public-key";

  private PushRoutes() {}

  public static void mount(Router router, PushConfig push) {
    router.get(PATH).handler(ctx -> {
      if (!push.enabled()) {
        ctx.response().setStatusCode(404).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("error", "push is disabled").encode());
        return;
      }
      ctx.response().putHeader("Content-Type", "application/json")
          .putHeader("Cache-Control", "no-cache")
          .putHeader("Access-Control-Allow-Origin", "*")
          .end(new JsonObject().put("key", push.vapidPublicKey()).encode());
    });
  }
}
