package io.switchboard.notify.push;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a job's stored notification ({@code {title?, body?, url?, data?, badge?, urgency?, fcm?, apns?,
 * webpush?}}, validated when it was accepted) into a {@link PushContent}. Lenient: a stored value of the wrong
 * type is left out rather than failing the job, so an old row never blocks the queue.
 */
final class PushContents {
  static final Set<String> URGENCIES = Set.of("very-low", "low", "normal", "high");

  private PushContents() {}

  /** {@code badge}: the unread count for an inbox notification, else null (the stored badge, if any, is used). */
  static PushContent of(PushJobStore.Job job, long ttlSeconds, Long badge) {
    JsonObject p;
    try {
      p = new JsonObject(job.payload());
    } catch (RuntimeException e) {
      p = new JsonObject();
    }
    Integer storedBadge = p.getValue("badge") instanceof Number n ? n.intValue() : null;
    Integer b = badge != null ? Integer.valueOf((int) Math.min(Integer.MAX_VALUE, badge)) : storedBadge;
    String urgency = p.getValue("urgency") instanceof String u && URGENCIES.contains(u) ? u : "normal";
    return new PushContent(string(p, "title"), string(p, "body"), p.getValue("url") instanceof String u ? u : null,
        data(p.getValue("data")), b, ttlSeconds, urgency, job.tag(), job.channel(),
        job.channel() == null ? 0 : job.offset(), object(p, "fcm"), object(p, "apns"), object(p, "webpush"));
  }

  private static String string(JsonObject p, String key) {
    return p.getValue(key) instanceof String s ? s : "";
  }

  private static JsonObject object(JsonObject p, String key) {
    return p.getValue(key) instanceof JsonObject o ? o : null;
  }

  /** Custom data as strings (FCM's rule): strings as they are, anything else as its JSON text. */
  static Map<String, String> data(Object value) {
    Map<String, String> out = new LinkedHashMap<>();
    if (value instanceof JsonObject o) {
      for (Map.Entry<String, Object> e : o) {
        Object v = e.getValue();
        if (v != null) {
          out.put(e.getKey(), v instanceof String s ? s : io.vertx.core.json.Json.encode(v));
        }
      }
    }
    return out;
  }
}
