package io.switchboard.webhook;

import io.switchboard.config.WebhookConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * One receiver of webhooks: {@code id} names its rows in the queue (a Switchboard webhook's id is its URL), the
 * events are POSTed to {@code url} in {@code format}, and {@code routes} say which events it gets.
 */
public record WebhookTarget(String id, String url, WebhookFormat format, List<Route> routes) {

  /**
   * Events of {@code type} on channels that start with {@code channelPrefix} ({@code ""}: every channel, and the
   * user events, which have none).
   */
  public record Route(String type, String channelPrefix) {}

  /** The Switchboard-format targets of the {@code webhooks} section: every channel, its events, its secret. */
  public static List<WebhookTarget> switchboard(WebhookConfig config) {
    List<WebhookTarget> out = new ArrayList<>();
    if (!config.enabled()) {
      return out; // and no secret to sign with
    }
    SwitchboardFormat format = new SwitchboardFormat(config.secret());
    for (String url : config.urls()) {
      out.add(new WebhookTarget(url, url, format, everywhere(config.events())));
    }
    return out;
  }

  private static List<Route> everywhere(Iterable<String> types) {
    List<Route> routes = new ArrayList<>();
    types.forEach(t -> routes.add(new Route(t, "")));
    return routes;
  }

  /** Whether any target wants {@code type} somewhere. */
  static boolean anyWants(List<WebhookTarget> targets, String type) {
    return targets.stream().anyMatch(t -> t.routes().stream().anyMatch(r -> r.type().equals(type)));
  }

  /**
   * The routes of all targets flattened into parallel arrays of (target id, channel prefix, event type): the
   * SQL that enqueues joins its events against them.
   */
  record Routes(String[] targets, String[] prefixes, String[] types) {

    static Routes of(List<WebhookTarget> all) {
      List<String> ids = new ArrayList<>();
      List<String> prefixes = new ArrayList<>();
      List<String> types = new ArrayList<>();
      for (WebhookTarget t : all) {
        for (Route r : t.routes()) {
          ids.add(t.id());
          prefixes.add(r.channelPrefix());
          types.add(r.type());
        }
      }
      return new Routes(ids.toArray(String[]::new), prefixes.toArray(String[]::new), types.toArray(String[]::new));
    }

    /** Every target of {@code targets} for every event of {@code types}, on every channel. */
    static Routes everywhere(List<String> targets, List<String> types) {
      List<WebhookTarget> all = new ArrayList<>();
      for (String t : targets) {
        all.add(new WebhookTarget(t, t, null, WebhookTarget.everywhere(types)));
      }
      return of(all);
    }

    boolean wants(String type) {
      return List.of(types).contains(type);
    }
  }
}
