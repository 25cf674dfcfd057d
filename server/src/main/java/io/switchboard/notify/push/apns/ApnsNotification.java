package io.switchboard.notify.push.apns;

import io.switchboard.crypto.P256;
import io.switchboard.notify.push.PushContent;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One job's APNs request, the same for every device of the call: the JSON payload (at most
 * {@link #MAX_PAYLOAD} bytes: a long body is shortened, as for Web Push) and the headers but the two that
 * differ per device ({@code apns-id}) or per minute ({@code authorization}). The content's {@code apns} override
 * object is applied last: its {@code headers} replace ours, its {@code payload} is merged over ours as a JSON
 * merge patch (RFC 7396: objects merge, a null removes the key).
 */
record ApnsNotification(byte[] payload, Map<String, String> headers) {
  static final int MAX_PAYLOAD = 4096;
  static final int MAX_COLLAPSE_ID = 64;
  /** Ours alone, whatever an override says: the provider token, and what HTTP itself owns. */
  private static final Set<String> NOT_OVERRIDABLE = Set.of("authorization", "host", "content-length",
      "connection", "upgrade", "expect", "te", "transfer-encoding");

  static ApnsNotification of(PushContent c, String topic, long nowEpochSeconds) {
    String title = c.title() == null ? "" : c.title();
    String body = c.body() == null ? "" : c.body();
    boolean background = title.isEmpty() && body.isEmpty() && c.badge() == null;
    Map<String, String> h = new LinkedHashMap<>();
    h.put("apns-topic", topic);
    h.put("apns-push-type", background ? "background" : "alert");
    // Apple refuses priority 10 for a background push; 5 is "deliver when convenient for the battery".
    boolean urgent = c.urgency() == null || c.urgency().equals("high") || c.urgency().equals("normal");
    h.put("apns-priority", !background && urgent ? "10" : "5");
    h.put("apns-expiration", Long.toString(nowEpochSeconds + Math.max(0, c.ttlSeconds())));
    if (c.tag() != null) {
      h.put("apns-collapse-id", collapseId(c.tag()));
    }
    JsonObject override = c.apns() == null ? new JsonObject() : c.apns();
    if (override.getValue("headers") instanceof JsonObject extra) {
      for (Map.Entry<String, Object> e : extra) {
        String name = e.getKey().toLowerCase(Locale.ROOT);
        if (!name.startsWith(":") && !NOT_OVERRIDABLE.contains(name)) {
          if (e.getValue() == null) {
            h.remove(name);
          } else {
            h.put(name, String.valueOf(e.getValue()));
          }
        }
      }
    }
    JsonObject patch = override.getValue("payload") instanceof JsonObject p ? p : null;
    byte[] payload = payload(c, title, body, background, patch);
    while (payload.length > MAX_PAYLOAD && !body.isEmpty()) {
      // cut whole code points worth the excess in UTF-8 bytes, plus the 3 of the ellipsis
      int excess = payload.length - MAX_PAYLOAD + 3;
      int end = body.length();
      for (int cut = 0; end > 0 && cut < excess; ) {
        int cp = body.codePointBefore(end);
        cut += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        end -= Character.charCount(cp);
      }
      body = body.substring(0, end);
      payload = payload(c, title, body.isEmpty() ? "" : body + "\u2026", background, patch);
    }
    return new ApnsNotification(payload, Map.copyOf(h));
  }

  private static byte[] payload(PushContent c, String title, String body, boolean background, JsonObject patch) {
    JsonObject aps = new JsonObject();
    if (background) {
      aps.put("content-available", 1);
    } else {
      if (!title.isEmpty() || !body.isEmpty()) {
        aps.put("alert", new JsonObject().put("title", title).put("body", body));
      }
      if (c.badge() != null) {
        aps.put("badge", c.badge());
      }
      if (!title.isEmpty() || !body.isEmpty()) {
        aps.put("sound", "default");
      }
    }
    JsonObject o = new JsonObject().put("aps", aps);
    if (c.data() != null) {
      c.data().forEach((k, v) -> {
        if (!k.equals("aps")) {
          o.put(k, v);
        }
      });
    }
    if (c.url() != null) {
      o.put("url", c.url());
    }
    if (c.channel() != null) {
      o.put("channel", c.channel()).put("offset", c.offset());
    }
    if (c.tag() != null) {
      o.put("tag", c.tag());
    }
    if (patch != null) {
      mergePatch(o, patch);
    }
    return o.encode().getBytes(StandardCharsets.UTF_8);
  }

  /** RFC 7396 onto {@code target}: objects merge recursively, null removes, anything else replaces. */
  static void mergePatch(JsonObject target, JsonObject patch) {
    for (Map.Entry<String, Object> e : patch) {
      Object v = e.getValue();
      if (v == null) {
        target.remove(e.getKey());
      } else if (v instanceof JsonObject p && target.getValue(e.getKey()) instanceof JsonObject t) {
        mergePatch(t, p);
      } else {
        target.put(e.getKey(), v instanceof JsonObject p ? p.copy() : v);
      }
    }
  }

  /** The tag itself when it fits Apple's 64 bytes, else a digest of it (43 characters). */
  static String collapseId(String tag) {
    if (tag.getBytes(StandardCharsets.UTF_8).length <= MAX_COLLAPSE_ID) {
      return tag;
    }
    try {
      return P256.b64(MessageDigest.getInstance("SHA-256").digest(tag.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same for every send of one notification to one device, so APNs and its logs see a resend as one. */
  static String apnsId(String tag, String deviceId) {
    if (tag == null) {
      return UUID.randomUUID().toString();
    }
    return UUID.nameUUIDFromBytes((tag + "\n" + deviceId).getBytes(StandardCharsets.UTF_8)).toString();
  }
}
