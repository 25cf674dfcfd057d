package io.switchboard.config;

import java.time.Duration;
import java.util.List;

/**
 * The Pusher protocol front end ({@code pusher} section, docs/pusher.md): its apps, each with an id (server
 * API paths), a key (client URL) and a secret (signatures). No app: the front end is off.
 */
public record PusherConfig(List<App> apps, Duration activityTimeout, int clientEventsPerSecond) {

  /** One Pusher app, as Soketi configures them (webhooks too: a URL and the event types it wants). */
  public record App(String id, String key, String secret, boolean enableClientMessages, List<Webhook> webhooks) {
    public App(String id, String key, String secret, boolean enableClientMessages) {
      this(id, key, secret, enableClientMessages, List.of());
    }
  }

  /** Pusher's webhook event types. */
  public static final List<String> WEBHOOK_EVENTS = List.of("channel_occupied", "channel_vacated", "member_added",
      "member_removed", "client_event");

  /** One webhook of an app: where to POST, and which of {@link #WEBHOOK_EVENTS} (Soketi's {@code event_types}). */
  public record Webhook(String url, java.util.Set<String> eventTypes) {}

  /** Whether any app has a webhook. */
  public boolean webhooks() {
    return apps.stream().anyMatch(a -> !a.webhooks().isEmpty());
  }

  public boolean enabled() {
    return !apps.isEmpty();
  }
}
