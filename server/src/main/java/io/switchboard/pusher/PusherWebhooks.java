package io.switchboard.pusher;

import io.switchboard.config.PusherConfig;
import io.switchboard.webhook.WebhookFormat;
import io.switchboard.webhook.WebhookTarget;
import io.switchboard.webhook.Webhooks;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Pusher webhooks (docs/pusher.md#webhooks) on Switchboard's durable webhook queue: each app's webhooks are
 * targets that get the app's channels only (occupancy of all of them, members of {@code presence-} ones, client
 * events of {@code private-}/{@code presence-} ones), POSTed in Pusher's format with Pusher's signature.
 */
public final class PusherWebhooks {
  static final String CLIENT_EVENT = "client_event";

  private PusherWebhooks() {}

  /** The webhook targets of every app (none when no app has webhooks). */
  public static List<WebhookTarget> targets(PusherConfig config) {
    List<WebhookTarget> out = new ArrayList<>();
    for (PusherConfig.App app : config.apps()) {
      Format format = new Format(app);
      for (PusherConfig.Webhook hook : app.webhooks()) {
        List<WebhookTarget.Route> routes = new ArrayList<>();
        String pub = PusherChannels.NAMESPACE_PREFIX + app.id() + ":";
        String priv = PusherChannels.PRIVATE_NAMESPACE_PREFIX + app.id() + ":";
        for (String type : hook.eventTypes()) {
          switch (type) {
            case "channel_occupied", "channel_vacated" -> {
              routes.add(new WebhookTarget.Route(type, pub));
              routes.add(new WebhookTarget.Route(type, priv));
            }
            case "member_added", "member_removed" -> routes.add(new WebhookTarget.Route(type, priv + "presence-"));
            default -> routes.add(new WebhookTarget.Route(type, priv)); // client events: private and presence
          }
        }
        // the id keeps one app's queue rows apart from another app's (and a Switchboard webhook's) to one URL
        out.add(new WebhookTarget("pusher " + app.id() + " " + hook.url(), hook.url(), format, routes));
      }
    }
    return out;
  }

  /** Where client events go: the node's webhooks, or nowhere. */
  public static ClientEventHook clientEvents(Webhooks webhooks) {
    return webhooks == null ? ClientEventHook.NONE : (channel, event, data, socketId, user) -> {
      JsonObject d = new JsonObject().put("event", event)
          .put("data", data instanceof String s ? s : Json.encode(data)).put("socket_id", socketId);
      webhooks.event(CLIENT_EVENT, channel, user == null ? "" : user, d.encode());
    };
  }

  /** Hears the client events this node relays (Switchboard channel names). */
  public interface ClientEventHook {
    ClientEventHook NONE = (channel, event, data, socketId, user) -> { };

    void clientEvent(String channel, String event, Object data, String socketId, String user);
  }

  /**
   * Pusher's format: {@code {"time_ms", "events": [{"name", "channel", …}]}} with the channel's Pusher name,
   * {@code user_id} for member events (and client events on presence channels), {@code event}, {@code data}
   * and {@code socket_id} for client events; signed by {@code X-Pusher-Key} (the app key) and
   * {@code X-Pusher-Signature}, the hex HMAC-SHA256 of the body under the app secret.
   */
  static final class Format implements WebhookFormat {
    private final PusherConfig.App app;

    Format(PusherConfig.App app) {
      this.app = app;
    }

    @Override
    public Buffer body(List<io.switchboard.webhook.WebhookEvent> events, long nowMillis) {
      JsonArray list = new JsonArray();
      events.forEach(e -> list.add(json(e)));
      return new JsonObject().put("time_ms", nowMillis).put("events", list).toBuffer();
    }

    static JsonObject json(io.switchboard.webhook.WebhookEvent e) {
      JsonObject o = new JsonObject().put("name", e.type()).put("channel", PusherChannels.pusherName(e.channel()));
      if (e.data() != null) {
        o.mergeIn(new JsonObject(e.data()));
      }
      if (!e.user().isEmpty()) {
        o.put("user_id", e.user());
      }
      return o;
    }

    @Override
    public int sizeOf(io.switchboard.webhook.WebhookEvent e) {
      return json(e).toBuffer().length() + 1;
    }

    @Override
    public MultiMap headers(Buffer body) {
      return MultiMap.caseInsensitiveMultiMap()
          .add("Content-Type", "application/json")
          .add("X-Pusher-Key", app.key())
          .add("X-Pusher-Signature", PusherSignatures.hmacHex(app.secret(), body.toString()));
    }
  }
}
