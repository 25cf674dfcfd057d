package io.switchboard.pusher;

import io.switchboard.config.PusherConfig;
import java.util.HashMap;
import java.util.Map;

/** The configured Pusher apps, by key (client URLs, API auth_key) and by id (API paths). */
final class PusherApps {
  private final Map<String, PusherConfig.App> byKey = new HashMap<>();
  private final Map<String, PusherConfig.App> byId = new HashMap<>();

  PusherApps(PusherConfig config) {
    for (PusherConfig.App app : config.apps()) {
      byKey.put(app.key(), app);
      byId.put(app.id(), app);
    }
  }

  PusherConfig.App byKey(String key) {
    return byKey.get(key);
  }

  PusherConfig.App byId(String id) {
    return byId.get(id);
  }
}
