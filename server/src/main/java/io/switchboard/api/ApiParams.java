package io.switchboard.api;

import io.switchboard.model.Failure;
import io.switchboard.codec.json.JsonParams;
import io.switchboard.model.CoreException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The API's own parameter shapes on top of {@link JsonParams}; wrong types are error 107. */
final class ApiParams {
  private ApiParams() {}

  /** {@code tags}: an object of string values, or absent. */
  static Map<String, String> tags(JsonObject p) {
    JsonObject o = JsonParams.optObject(p, "tags");
    if (o == null) {
      return Map.of();
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : o) {
      if (!(e.getValue() instanceof String v)) {
        throw new CoreException(Failure.BAD_REQUEST, "tags values must be strings");
      }
      tags.put(e.getKey(), v);
    }
    return tags;
  }

  /** A required, non-empty array of strings. */
  static List<String> requiredStrings(JsonObject p, String key) {
    JsonArray a = JsonParams.optArray(p, key);
    if (a == null || a.isEmpty()) {
      throw new CoreException(Failure.BAD_REQUEST, key + " required");
    }
    List<String> out = new ArrayList<>(a.size());
    for (Object v : a) {
      if (!(v instanceof String s)) {
        throw new CoreException(Failure.BAD_REQUEST, key + " must be an array of strings");
      }
      out.add(s);
    }
    return out;
  }

  /** {@code user}: the user whose connections an action targets (required and non-empty, as in Centrifugo). */
  static String user(JsonObject p) {
    return JsonParams.requiredString(p, "user");
  }

  /** {@code client}: one connection of the user, or null for all of them. */
  static String client(JsonObject p) {
    String client = JsonParams.optString(p, "client");
    return client == null || client.isEmpty() ? null : client;
  }
}
