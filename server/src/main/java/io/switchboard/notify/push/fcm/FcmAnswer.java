package io.switchboard.notify.push.fcm;

import io.switchboard.notify.push.PushResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * FCM's answer to one send, as a {@link PushResult}. Errors are {@code {"error":{"code","message","status",
 * "details":[...]}}}; the FCM-specific code is the {@code errorCode} of the {@code google.firebase.fcm.v1.FcmError}
 * detail, and a {@code google.rpc.BadRequest} detail names the offending fields. A device is only deleted on
 * evidence that the token itself is dead: a 400 that blames another field (our payload) keeps it.
 */
final class FcmAnswer {
  private static final String FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError";
  private static final String BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest";

  private FcmAnswer() {}

  static PushResult of(int status, String retryAfter, String body) {
    if (status >= 200 && status < 300) {
      return PushResult.sent(status);
    }
    JsonObject error = error(body);
    String code = errorCode(error);
    String reason = code != null ? code : error.getString("status", "HTTP " + status);
    if (status == 429 || status >= 500) {
      return PushResult.retry(status, retryAfter(retryAfter, Instant.now()), reason);
    }
    if (status == 401) {
      // the caller refreshes its access token and tries once more; a second 401 is retried later
      return PushResult.retry(status, null, reason);
    }
    if (status == 404 && "UNREGISTERED".equals(code)) {
      return PushResult.gone(status, reason);
    }
    if (status == 403 && "SENDER_ID_MISMATCH".equals(code)) {
      return PushResult.gone(status, reason); // the token belongs to another Firebase project
    }
    if (status == 400 && "INVALID_ARGUMENT".equals(code) && blamesOnlyToken(error)) {
      return PushResult.gone(status, reason + tokenViolation(error));
    }
    return PushResult.rejected(status, reason + message(error));
  }

  private static JsonObject error(String body) {
    try {
      JsonObject o = body == null || body.isBlank() ? null : new JsonObject(body);
      return o != null && o.getValue("error") instanceof JsonObject e ? e : new JsonObject();
    } catch (RuntimeException e) {
      return new JsonObject(); // an HTML error page from a proxy, say
    }
  }

  private static String errorCode(JsonObject error) {
    for (JsonObject d : details(error, FCM_ERROR)) {
      if (d.getValue("errorCode") instanceof String s) {
        return s;
      }
    }
    return null;
  }

  /** No BadRequest field violation, or only ones on {@code message.token}. */
  private static boolean blamesOnlyToken(JsonObject error) {
    for (JsonObject d : details(error, BAD_REQUEST)) {
      if (d.getValue("fieldViolations") instanceof JsonArray violations) {
        for (Object v : violations) {
          if (!(v instanceof JsonObject o) || !"message.token".equals(o.getValue("field"))) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private static String tokenViolation(JsonObject error) {
    return details(error, BAD_REQUEST).isEmpty() ? "" : " (message.token)";
  }

  private static String message(JsonObject error) {
    return error.getValue("message") instanceof String s ? ": " + (s.length() > 200 ? s.substring(0, 200) : s) : "";
  }

  private static java.util.List<JsonObject> details(JsonObject error, String type) {
    java.util.List<JsonObject> out = new java.util.ArrayList<>();
    if (error.getValue("details") instanceof JsonArray a) {
      for (Object d : a) {
        if (d instanceof JsonObject o && type.equals(o.getValue("@type"))) {
          out.add(o);
        }
      }
    }
    return out;
  }

  /** Retry-After: delay-seconds or an HTTP-date (RFC 9110 §10.2.3); null when absent or unreadable. */
  static Duration retryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    try {
      long s = Long.parseLong(v);
      return s >= 0 ? Duration.ofSeconds(s) : null;
    } catch (NumberFormatException e) {
      try {
        Duration d = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (RuntimeException bad) {
        return null;
      }
    }
  }
}
