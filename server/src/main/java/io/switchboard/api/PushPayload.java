package io.switchboard.api;

import io.switchboard.codec.json.JsonParams;
import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Checks a push notification as the API takes it, in {@code notify}'s {@code push} and in
 * {@code send_push_notification}'s {@code notification}: {@code {title?, body?, url?, data?, badge?, ttl?,
 * urgency?, fcm?, apns?, webpush?}}. The three platform objects are passed through to their provider
 * (docs/notifications.md); they must be objects, and the whole at most {@value #MAX_BYTES} bytes.
 */
final class PushPayload {
  static final int MAX_BYTES = 16 * 1024;
  static final Set<String> URGENCIES = Set.of("very-low", "low", "normal", "high");
  static final Set<String> KEYS = Set.of("title", "body", "url", "data", "badge", "ttl", "urgency", "fcm", "apns",
      "webpush", "expire_at");

  private PushPayload() {}

  /** A checked copy; {@code name} prefixes errors ({@code push}, {@code notification}). */
  static JsonObject check(JsonObject push, String name, boolean needsText) {
    for (String k : List.of("title", "body", "url")) {
      JsonParams.optString(push, k);
    }
    for (String k : push.fieldNames()) {
      if (!KEYS.contains(k)) {
        throw new CoreException(Failure.BAD_REQUEST, name + "." + k + " is not a known field");
      }
    }
    boolean text = JsonParams.optString(push, "title") != null || JsonParams.optString(push, "body") != null;
    if (needsText && !text) {
      throw new CoreException(Failure.BAD_REQUEST, name + " needs a title or a body");
    }
    if (!text && JsonParams.optObject(push, "data") == null && push.getValue("fcm") == null
        && push.getValue("apns") == null && push.getValue("webpush") == null) {
      throw new CoreException(Failure.BAD_REQUEST, name + " needs a title, a body, data or a platform object");
    }
    if (JsonParams.optLong(push, "ttl", 0) < 0) {
      throw new CoreException(Failure.BAD_REQUEST, name + ".ttl must not be negative");
    }
    if (push.containsKey("badge") && JsonParams.optLong(push, "badge", 0) < 0) {
      throw new CoreException(Failure.BAD_REQUEST, name + ".badge must not be negative");
    }
    String urgency = JsonParams.optString(push, "urgency");
    if (urgency != null && !URGENCIES.contains(urgency)) {
      throw new CoreException(Failure.BAD_REQUEST, name + ".urgency must be one of " + URGENCIES);
    }
    for (String k : List.of("data", "fcm", "apns", "webpush")) {
      JsonParams.optObject(push, k);
    }
    if (push.encode().getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new CoreException(Failure.LIMIT_EXCEEDED, name + " larger than " + MAX_BYTES + " bytes");
    }
    return push.copy();
  }
}
