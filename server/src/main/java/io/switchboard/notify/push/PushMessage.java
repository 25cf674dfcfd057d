package io.switchboard.notify.push;

import io.switchboard.crypto.P256;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What a Web Push sends for one {@link PushContent}: the plaintext the service worker reads
 * ({@code {title, body, url?, channel?, offset?, tag, data?, badge?}} with the API's {@code webpush} object merged
 * over it, at most {@link Aes128gcm#MAX_PLAINTEXT} bytes: a long body is shortened), the TTL and Urgency headers,
 * and a Topic that is the same for every send of this notification (so a resend after a crash replaces, at the
 * push service, a copy not yet delivered).
 */
record PushMessage(byte[] plaintext, long ttlSeconds, String urgency, String topic) {

  static PushMessage of(PushContent c) {
    String body = c.body() == null ? "" : c.body();
    byte[] plain = encode(c, body);
    while (plain.length > Aes128gcm.MAX_PLAINTEXT && !body.isEmpty()) {
      // Drop whole code points from the end until their UTF-8 bytes cover the excess (plus the ellipsis); JSON
      // escapes can make the text longer than its bytes, so re-encode and repeat while it still does not fit.
      long excess = plain.length - Aes128gcm.MAX_PLAINTEXT + 3;
      int end = body.length();
      while (end > 0 && excess > 0) {
        int cp = body.codePointBefore(end);
        end -= Character.charCount(cp);
        excess -= new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      }
      body = body.substring(0, end);
      plain = encode(c, body.isEmpty() ? "" : body + "\u2026");
    }
    if (plain.length > Aes128gcm.MAX_PLAINTEXT) {
      // absurd title, url or data: the page can still fetch the notification by its channel and offset
      JsonObject bare = new JsonObject().put("title", "").put("body", "").put("tag", c.tag());
      if (c.channel() != null) {
        bare.put("channel", c.channel()).put("offset", c.offset());
      }
      plain = bare.encode().getBytes(StandardCharsets.UTF_8);
    }
    return new PushMessage(plain, c.ttlSeconds(), c.urgency(), topic(c.tag()));
  }

  private static byte[] encode(PushContent c, String body) {
    JsonObject o = new JsonObject().put("title", c.title() == null ? "" : c.title()).put("body", body);
    if (c.url() != null) {
      o.put("url", c.url());
    }
    if (c.channel() != null) {
      o.put("channel", c.channel()).put("offset", c.offset());
    }
    o.put("tag", c.tag());
    if (c.data() != null && !c.data().isEmpty()) {
      o.put("data", new JsonObject(new java.util.LinkedHashMap<>(c.data())));
    }
    if (c.badge() != null) {
      o.put("badge", c.badge());
    }
    if (c.webpush() != null) {
      o.mergeIn(c.webpush(), true);
    }
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
}
