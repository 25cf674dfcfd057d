package io.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and checks the {@code pusher} section (kept apart from ConfigLoader, which other sections share). */
final class PusherConfigReader {
  /** An app id becomes a channel namespace ({@code pusher_<id>}), so it follows namespace names. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]+");
  static final int MIN_SECRET_BYTES = 16;

  private PusherConfigReader() {}

  static PusherConfig read(Section s) {
    List<PusherConfig.App> apps = new ArrayList<>();
    JsonNode list = s.get("apps");
    if (!list.isArray()) {
      throw new ConfigException(s.key("apps"), "must be a list of {id, key, secret, enable_client_messages}");
    }
    int i = 0;
    for (JsonNode a : list) {
      String where = s.key("apps") + "[" + i++ + "]";
      if (!a.isObject()) {
        throw new ConfigException(where, "must be an object {id, key, secret, enable_client_messages}");
      }
      a.fieldNames().forEachRemaining(f -> {
        if (!Set.of("id", "key", "secret", "enable_client_messages", "webhooks").contains(f)) {
          throw new ConfigException(where + "." + f,
              "unknown key (known: id, key, secret, enable_client_messages, webhooks)");
        }
      });
      PusherConfig.App app = app(where, a.path("id").asText(""), a.path("key").asText(""),
          a.path("secret").asText(""), a.path("enable_client_messages").asBoolean(false));
      apps.add(new PusherConfig.App(app.id(), app.key(), app.secret(), app.enableClientMessages(),
          webhooks(where + ".webhooks", a.path("webhooks"))));
    }
    String envId = s.string("app_id");
    String envKey = s.string("app_key");
    String envSecret = s.string("app_secret");
    boolean envClient = s.bool("app_enable_client_messages");
    if (!envId.isEmpty() || !envKey.isEmpty() || !envSecret.isEmpty()) {
      apps.add(app(s.key("app_id"), envId, envKey, envSecret, envClient));
    }
    Set<String> ids = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (PusherConfig.App app : apps) {
      if (!ids.add(app.id())) {
        throw new ConfigException(s.key("apps"), "app id '" + app.id() + "' is used twice");
      }
      if (!keys.add(app.key())) {
        throw new ConfigException(s.key("apps"), "app key '" + app.key() + "' is used twice");
      }
    }
    Duration activity = s.duration("activity_timeout", false);
    int rate = s.integer("client_events_per_second", 1, 10_000);
    s.finish();
    return new PusherConfig(List.copyOf(apps), activity, rate);
  }

  /** {@code [{url, event_types}]}, as Soketi's; no event_types: all of them. */
  private static List<PusherConfig.Webhook> webhooks(String where, JsonNode list) {
    if (list.isMissingNode() || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw new ConfigException(where, "must be a list of {url, event_types}");
    }
    List<PusherConfig.Webhook> out = new ArrayList<>();
    int i = 0;
    for (JsonNode w : list) {
      String at = where + "[" + i++ + "]";
      if (!w.isObject()) {
        throw new ConfigException(at, "must be an object {url, event_types}");
      }
      w.fieldNames().forEachRemaining(f -> {
        if (!Set.of("url", "event_types").contains(f)) {
          throw new ConfigException(at + "." + f, "unknown key (known: url, event_types)");
        }
      });
      String url = w.path("url").asText("");
      ConfigLoader.checkHttpUrl(at + ".url", url);
      Set<String> types = new HashSet<>();
      JsonNode given = w.path("event_types");
      if (given.isMissingNode() || given.isNull()) {
        types.addAll(PusherConfig.WEBHOOK_EVENTS);
      } else if (!given.isArray() || given.isEmpty()) {
        throw new ConfigException(at + ".event_types", "must be a non-empty list of " + PusherConfig.WEBHOOK_EVENTS);
      } else {
        for (JsonNode t : given) {
          if (!PusherConfig.WEBHOOK_EVENTS.contains(t.asText())) {
            throw new ConfigException(at + ".event_types", "unknown event type '" + t.asText() + "'; known: "
                + PusherConfig.WEBHOOK_EVENTS);
          }
          types.add(t.asText());
        }
      }
      out.add(new PusherConfig.Webhook(url, Set.copyOf(types)));
    }
    return List.copyOf(out);
  }

  private static PusherConfig.App app(String where, String id, String key, String secret, boolean clientMessages) {
    if (!ID.matcher(id).matches()) {
      throw new ConfigException(where + ".id", "must be letters, digits, '_' or '-' (it names a channel namespace)");
    }
    if (!KEY.matcher(key).matches()) {
      throw new ConfigException(where + ".key", "must be letters, digits, '_', '.' or '-'");
    }
    if (secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new ConfigException(where + ".secret", "must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    return new PusherConfig.App(id, key, secret, clientMessages);
  }
}
