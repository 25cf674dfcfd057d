package io.switchboard.api;

import io.switchboard.Node;
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

  public static void mount(Router router, Node node) {
    ApiRequestHandler handler = new ApiRequestHandler(node, methods());
    // Two routes, because vertx-web wants a body handler before any plain handler of the same route; the key
    // check is synchronous, so no body data is read (or lost) before the second route reads it.
    router.post("/api/:method").handler(new ApiAuth(node.config.apiKey()));
    router.post("/api/:method")
        .handler(BodyHandler.create(false).setBodyLimit(node.config.http().maxApiBodyBytes()))
        .handler(handler)
        .failureHandler(handler::onRouteFailure);
    router.route("/api/:method").handler(ctx -> ctx.response().setStatusCode(405).putHeader("Allow", "POST").end());
  }

  /** One handler per method, by its name in the path. */
  static Map<String, ApiMethod> methods() {
    Map<String, ApiMethod> m = new HashMap<>();
    m.put("publish", new PublishMethod());
    m.put("broadcast", new BroadcastMethod());
    m.put("subscribe", new SubscribeMethod());
    m.put("unsubscribe", new UnsubscribeMethod());
    m.put("disconnect", new DisconnectMethod());
    m.put("refresh", new RefreshMethod());
    m.put("presence", new PresenceMethod());
    m.put("presence_stats", new PresenceStatsMethod());
    m.put("history", new HistoryMethod());
    m.put("history_remove", new HistoryRemoveMethod());
    m.put("channels", new ChannelsMethod());
    m.put("info", new InfoMethod());
    m.put("notify", new NotifyMethod());
    m.put("batch", new BatchMethod(Map.copyOf(m)));
    return Map.copyOf(m);
  }
}
