package io.switchboard.webhook;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Switchboard's webhook format (docs/webhooks.md): {@code {"time_ms":…,"events":[{"id","seq","type","time_ms",
 * "channel","user"}…]}}, with {@value #SIGNATURE} the lowercase hex HMAC-SHA256 of the exact body bytes under
 * the shared secret.
 */
public final class SwitchboardFormat implements WebhookFormat {
  public static final String SIGNATURE = "X-Switchboard-Signature";

  private final SecretKeySpec key;

  public SwitchboardFormat(String secret) {
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  @Override
  public Buffer body(List<WebhookEvent> events, long nowMillis) {
    JsonArray list = new JsonArray();
    for (WebhookEvent e : events) {
      list.add(json(e));
    }
    return new JsonObject().put("time_ms", nowMillis).put("events", list).toBuffer();
  }

  private static JsonObject json(WebhookEvent e) {
    JsonObject o = new JsonObject().put("id", e.id()).put("seq", e.seq()).put("type", e.type())
        .put("time_ms", e.timeMillis());
    if (!e.channel().isEmpty()) {
      o.put("channel", e.channel());
    }
    if (!e.user().isEmpty()) {
      o.put("user", e.user());
    }
    if (e.data() != null) {
      o.put("data", new JsonObject(e.data()));
    }
    return o;
  }

  @Override
  public int sizeOf(WebhookEvent e) {
    return json(e).toBuffer().length() + 1; // and its comma
  }

  @Override
  public MultiMap headers(Buffer body) {
    return MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", "application/json")
        .add(SIGNATURE, sign(body.getBytes()));
  }

  /** Lowercase hex HMAC-SHA256 of {@code body}. */
  public String sign(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
