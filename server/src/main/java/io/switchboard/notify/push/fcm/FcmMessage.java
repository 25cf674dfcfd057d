package io.switchboard.notify.push.fcm;

import io.switchboard.notify.push.PushContent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;

/**
 * The FCM HTTP v1 {@code message} for one {@link PushContent}, without its recipient: rendered once per call,
 * each device's request adds its own {@code token}. The override ({@code content.fcm()}: its {@code message}
 * object, or the object itself) is deep-merged over what is generated, except the recipient, which is always ours.
 */
final class FcmMessage {
  /** FCM refuses a message whose payload exceeds 4096 bytes; we count the whole message, a little stricter. */
  static final int MAX_PAYLOAD = 4096;
  private static final String ELLIPSIS = "\u2026";

  private FcmMessage() {}

  /** The message, its body shortened (ending with an ellipsis) when the whole would exceed {@link #MAX_PAYLOAD}. */
  static JsonObject of(PushContent c, long nowEpochSeconds) {
    String title = c.title() == null ? "" : c.title();
    String body = c.body() == null ? "" : c.body();
    JsonObject m = render(c, title, body, nowEpochSeconds);
    int size = payloadBytes(m);
    while (size > MAX_PAYLOAD && !body.isEmpty()) {
      int end = Math.max(0, body.length() - Math.max(16, size - MAX_PAYLOAD));
      if (end > 0 && Character.isHighSurrogate(body.charAt(end - 1))) {
        end--;
      }
      body = body.substring(0, end);
      m = render(c, title, body.isEmpty() ? "" : body + ELLIPSIS, nowEpochSeconds);
      size = payloadBytes(m);
    }
    return m;
  }

  /** What counts against the limit: the whole message but its token (UTF-8 JSON bytes). */
  static int payloadBytes(JsonObject message) {
    return message.encode().getBytes(StandardCharsets.UTF_8).length;
  }

  /** The request body for one device: {@code {"message":{"token":...,<rest>}}}, without re-encoding the rest. */
  static String request(String token, String messageJson) {
    String t = new JsonArray().add(token).encode(); // a JSON string literal, escaped
    String recipient = "\"token\":" + t.substring(1, t.length() - 1);
    String rest = messageJson.length() > 2 ? "," + messageJson.substring(1) : "}";
    return "{\"message\":{" + recipient + rest + "}";
  }

  private static JsonObject render(PushContent c, String title, String body, long now) {
    JsonObject m = new JsonObject();
    boolean display = !title.isEmpty() || !body.isEmpty();
    if (display) {
      JsonObject n = new JsonObject();
      if (!title.isEmpty()) {
        n.put("title", title);
      }
      if (!body.isEmpty()) {
        n.put("body", body);
      }
      m.put("notification", n);
    }
    JsonObject data = new JsonObject();
    if (c.data() != null) {
      for (Map.Entry<String, String> e : c.data().entrySet()) {
        data.put(e.getKey(), e.getValue());
      }
    }
    if (c.url() != null) {
      data.put("url", c.url());
    }
    if (c.channel() != null) {
      data.put("channel", c.channel()).put("offset", Long.toString(c.offset()));
    }
    if (c.tag() != null) {
      data.put("tag", c.tag());
    }
    if (!data.isEmpty()) {
      m.put("data", data);
    }
    long ttl = Math.max(0, c.ttlSeconds());
    JsonObject android = new JsonObject().put("ttl", ttl + "s")
        .put("priority", "high".equals(c.urgency()) ? "HIGH" : "NORMAL");
    // No collapse_key: FCM holds only 4 collapse keys per offline device, but 100 plain messages, and an inbox
    // wants them all. A resend after a crash is folded on the screen by the notification's tag instead.
    if (display) {
      // only on a notification message: an android.notification would make a data message a visible one
      JsonObject shown = new JsonObject();
      if (c.tag() != null) {
        shown.put("tag", c.tag());
      }
      if (c.badge() != null) {
        shown.put("notification_count", c.badge());
      }
      if (!shown.isEmpty()) {
        android.put("notification", shown);
      }
    }
    m.put("android", android);
    // APNs: 10 (now) for a visible high/normal push; 5 otherwise, and always for a data-only (background) one
    boolean immediate = display && ("high".equals(c.urgency()) || "normal".equals(c.urgency()) || c.urgency() == null);
    JsonObject apns = new JsonObject().put("headers", new JsonObject().put("apns-priority", immediate ? "10" : "5")
        .put("apns-expiration", Long.toString(now + ttl)));
    if (c.badge() != null) {
      apns.put("payload", new JsonObject().put("aps", new JsonObject().put("badge", c.badge())));
    }
    m.put("apns", apns);
    JsonObject override = override(c.fcm());
    if (override != null) {
      merge(m, override);
    }
    m.remove("token");
    m.remove("topic");
    m.remove("condition");
    stringValues(m);
    return m;
  }

  private static JsonObject override(JsonObject fcm) {
    if (fcm == null) {
      return null;
    }
    return fcm.getValue("message") instanceof JsonObject o ? o : fcm;
  }

  /** Objects merge key by key, anything else replaces; a JSON null removes the key. */
  static void merge(JsonObject target, JsonObject over) {
    for (String key : new ArrayList<>(over.fieldNames())) {
      Object v = over.getValue(key);
      if (v == null) {
        target.remove(key);
      } else if (v instanceof JsonObject o && target.getValue(key) instanceof JsonObject t) {
        merge(t, o);
      } else if (v instanceof JsonObject o) {
        target.put(key, o.copy());
      } else if (v instanceof JsonArray a) {
        target.put(key, a.copy());
      } else {
        target.put(key, v);
      }
    }
  }

  /** FCM refuses a data value that is not a string (400, and the device is innocent): render them as strings. */
  private static void stringValues(JsonObject m) {
    Object data = m.getValue("data");
    if (data == null) {
      return;
    }
    if (!(data instanceof JsonObject d)) {
      m.remove("data");
      return;
    }
    for (String key : new ArrayList<>(d.fieldNames())) {
      Object v = d.getValue(key);
      if (v == null) {
        d.remove(key);
      } else if (!(v instanceof String)) {
        d.put(key, v instanceof JsonObject o ? o.encode() : v instanceof JsonArray a ? a.encode() : v.toString());
      }
    }
  }
}
