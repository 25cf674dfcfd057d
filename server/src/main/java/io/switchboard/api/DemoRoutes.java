package io.switchboard.api;

import io.switchboard.auth.TokenMinter;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Demo mode only: {@code GET /demo/token?user=NAME} mints a connection token, so the chat page works with
 * no backend. Anyone can be anyone here, which is why demo mode is off in production configs.
 */
public final class DemoRoutes {
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  static final Duration TTL = Duration.ofHours(1);

  private DemoRoutes() {}

  public static void mount(Router router, TokenMinter minter) {
    router.get("/demo/token").handler(ctx -> {
      String user = ctx.request().getParam("user");
      if (user == null || !USER.matcher(user).matches()) {
        ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("error", "user must be 1-64 of A-Z a-z 0-9 _ . -").encode());
        return;
      }
      ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
          .end(new JsonObject().put("token", minter.mint(user, TTL)).put("user", user)
              .put("expires_in", TTL.toSeconds()).encode());
    });
  }
}
