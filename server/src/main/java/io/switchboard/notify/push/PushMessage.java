package io.switchboard.notify.push;

import io.switchboard.crypto.P256;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Set;

/**
 * What one push job sends, derived from the notify call's {@code push} object: the plaintext the service worker
 * reads ({@code {title, body, url, channel, offset, tag}}, at most {@link Aes128gcm#MAX_PLAINTEXT} bytes: a
 * long body is shortened), the TTL and Urgency headers, and a Topic that is the same for every send of this
 * notification (so a resend after a crash replaces, at the push service, a copy not yet delivered).
 */
record PushMessage(byte[] plaintext, long ttlSeconds, String urgency, String topic) {
  static final long DEFAULT_TTL = Duration.ofDays(1).toSeconds();
  static final long MAX_TTL = Duration.ofDays(28).toSeconds();
  static final Set<String> URGENCIES = Set.of("very-low", "low", "normal", "high");

  static PushMessage of(String channel, long offset, String payloadJson) {
    JsonObject push;
    try {
      push = new JsonObject(payloadJson);
    } catch (RuntimeException e) {
      push = new JsonObject();
    }
    long ttl = push.getValue("ttl") instanceof Number n ? Math.max(0, Math.min(MAX_TTL, n.longValue())) : DEFAULT_TTL;
    String urgency = push.getValue("urgency") instanceof String u && URGENCIES.contains(u) ? u : "normal";
    String tag = channel + ":" + offset;
    String title = push.getValue("title") instanceof String t ? t : "";
    String body = push.getValue("body") instanceof String b ? b : "";
    String url = push.getValue("url") instanceof String u ? u : null;
    byte[] plain = encode(title, body, url, channel, offset, tag);
    while (plain.length > Aes128gcm.MAX_PLAINTEXT && !body.isEmpty()) {
      int end = Math.max(0, body.length() - Math.max(16, plain.length - Aes128gcm.MAX_PLAINTEXT));
      if (end > 0 && Character.isHighSurrogate(body.charAt(end - 1))) {
        end--;
      }
      body = body.substring(0, end);
      plain = encode(title, body.isEmpty() ? "" : body + "\u2026", url, channel, offset, tag);
    }
    if (plain.length > Aes128gcm.MAX_PLAINTEXT) {
      plain = encode("", "", null, channel, offset, tag); // absurd title or url: the page can still fetch it
    }
    return new PushMessage(plain, ttl, urgency, topic(tag));
  }

  private static byte[] encode(String title, String body, String url, String channel, long offset, String tag) {
    JsonObject o = new JsonObject().put("title", title).put("body", body);
    if (url != null) {
      o.put("url", url);
    }
    o.put("channel", channel).put("offset", offset).put("tag", tag);
    return o.encode().getBytes(StandardCharsets.UTF_8);
  }

  /** RFC 8030 §5.4: at most 32 characters of the URL-safe base64 alphabet. */
  static String topic(String tag) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(tag.getBytes(StandardCharsets.UTF_8));
      return P256.b64(h).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The TTL left for a job enqueued {@code age} ago; 0 or less means it is no longer worth sending. */
  long remainingTtl(Duration age) {
    return ttlSeconds - age.toSeconds();
  }
}
