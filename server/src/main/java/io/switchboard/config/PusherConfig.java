package io.switchboard.config;

import java.time.Duration;
import java.util.List;

/**
 * The Pusher protocol front end ({@code pusher} section, docs/pusher.md): its apps, each with an id (server
 * API paths), a key (client URL) and a secret (signatures). No app: the front end is off.
 */
public record PusherConfig(List<App> apps, Duration activityTimeout, int clientEventsPerSecond) {

  /** One Pusher app, as Soketi configures them. */
  public record App(String id, String key, String secret, boolean enableClientMessages) {}

  public boolean enabled() {
    return !apps.isEmpty();
  }
}
