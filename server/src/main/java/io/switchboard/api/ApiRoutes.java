package io.switchboard.api;

import io.switchboard.core.Core;
import io.switchboard.ops.Metrics;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.Map;

/**
 * The Centrifugo-compatible server API: {@code POST /api/<method>} with a JSON body. The key is checked first
 * (401), then the body is read up to {@code http.max_api_body_bytes} (413), then {@link ApiRequestHandler}
 * runs the method. Other HTTP methods on these paths are 405.
 */
public final class ApiRoutes {
  private ApiRoutes() {}

  /**
   * {@code apiKey}: empty disables the API (every call 401); {@code maxBodyBytes}: {@code http.max_api_body_bytes};
   * {@code historyMaxLimit}: {@code client.history_max_limit}, the largest history page.
   */
  public static void mount(Router router, Core core, PushApi push, Metrics metrics, String apiKey, int maxBodyBytes,
      int historyMaxLimit) {
    ApiRequestHandler handler = new ApiRequestHandler(metrics, methods(core, push, historyMaxLimit));
    // Two routes, because vertx-web wants a body handler before any plain handler of the same route; the key
    // check is synchronous, so no body data is read (or lost) before the second route reads it.
    router.post("/api/:method").handler(new ApiAuth(apiKey));
    router.post("/api/:method")
        .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
        .handler(handler)
        .failureHandler(handler::onRouteFailure);
    router.route("/api/:method").handler(ctx -> ctx.response().setStatusCode(405).putHeader("Allow", "POST").end());
  }

  /** One handler per method, by its name in the path; each gets the use cases it needs. */
  static Map<String, ApiMethod> methods(Core core, PushApi push, int historyMaxLimit) {
    Map<String, ApiMethod> m = new HashMap<>();
    PublishMethod publish = new PublishMethod(core.policy(), core.publishing());
    m.put("publish", publish);
    m.put("broadcast", new BroadcastMethod(publish));
    m.put("subscribe", new SubscribeMethod(core.policy(), core.users()));
    m.put("unsubscribe", new UnsubscribeMethod(core.policy(), core.users()));
    m.put("disconnect", new DisconnectMethod(core.users()));
    m.put("refresh", new RefreshMethod(core.users()));
    m.put("presence", new PresenceMethod(core.policy(), core.presence()));
    m.put("presence_stats", new PresenceStatsMethod(core.policy(), core.presence()));
    m.put("history", new HistoryMethod(core.policy(), core.history(), historyMaxLimit));
    m.put("history_remove", new HistoryRemoveMethod(core.policy(), core.history()));
    m.put("channels", new ChannelsMethod(core.stats()));
    m.put("info", new InfoMethod(core.stats()));
    m.put("notify", new NotifyMethod(core.notifying()));
    DeviceMethods.register(m, push);
    m.put("send_push_notification", new SendPushNotificationMethod(push));
    m.put("batch", new BatchMethod(Map.copyOf(m)));
    return Map.copyOf(m);
  }
}
