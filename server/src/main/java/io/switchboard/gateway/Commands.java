package io.switchboard.gateway;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** The protocol's commands and the handler of each. */
final class Commands {
  private Commands() {}

  static final List<String> METHODS = List.of("connect", "subscribe", "unsubscribe", "publish", "presence",
      "presence_stats", "history", "send", "rpc", "refresh", "sub_refresh");

  private static final Map<String, CommandHandler> HANDLERS = Map.ofEntries(
      Map.entry("connect", new ConnectCommand()),
      Map.entry("subscribe", new SubscribeCommand()),
      Map.entry("unsubscribe", new UnsubscribeCommand()),
      Map.entry("publish", new PublishCommand()),
      Map.entry("presence", new PresenceCommand()),
      Map.entry("presence_stats", new PresenceStatsCommand()),
      Map.entry("history", new HistoryCommand()),
      Map.entry("send", new SendCommand()),
      Map.entry("rpc", new RpcCommand()),
      Map.entry("refresh", new RefreshCommand()),
      Map.entry("sub_refresh", new SubRefreshCommand()));

  /** The method a command carries (the first known key), or null. */
  static String methodOf(JsonObject cmd) {
    for (String m : METHODS) {
      if (cmd.containsKey(m)) {
        return m;
      }
    }
    return null;
  }

  static CommandHandler handler(String method) {
    return HANDLERS.get(method);
  }
}
