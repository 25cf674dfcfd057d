package io.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A typed, strict view of one YAML mapping. Every read records the key; {@link #finish()} rejects the keys
 * that were never read (typos such as {@code http.prot}). Errors name the full dotted key.
 */
final class Section {
  final String path;
  final ObjectNode node;
  private final Set<String> known = new HashSet<>();

  Section(String path, ObjectNode node) {
    this.path = path;
    this.node = node;
  }

  String key(String k) {
    return path.isEmpty() ? k : path + "." + k;
  }

  List<String> fieldNames() {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  JsonNode get(String k) {
    known.add(k);
    JsonNode v = node.get(k);
    if (v == null || v.isNull()) {
      throw new ConfigException(key(k), "is required (missing, or removed with null)");
    }
    return v;
  }

  Section section(String k) {
    JsonNode v = get(k);
    if (!v.isObject()) {
      throw wrongType(k, "a mapping", v);
    }
    return new Section(key(k), (ObjectNode) v);
  }

  String string(String k) {
    JsonNode v = get(k);
    if (!v.isTextual()) {
      throw wrongType(k, "a string (quote it)", v);
    }
    return v.textValue();
  }

  int integer(String k, int min, int max) {
    JsonNode v = get(k);
    return checkInt(k, v, min, max);
  }

  boolean bool(String k) {
    JsonNode v = get(k);
    if (!v.isBoolean()) {
      throw wrongType(k, "true or false", v);
    }
    return v.booleanValue();
  }

  Duration duration(String k, boolean allowZero) {
    Duration d = checkDuration(k, get(k));
    if (!allowZero && d.isZero()) {
      throw new ConfigException(key(k), "must be longer than zero");
    }
    return d;
  }

  List<String> strings(String k) {
    JsonNode v = get(k);
    if (!v.isArray()) {
      throw wrongType(k, "a list of strings", v);
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw wrongType(k, "a list of strings", v);
      }
      out.add(item.textValue());
    }
    return out;
  }

  // Optional keys (namespace options): absent or null means false / 0 / none.

  boolean optBool(String k) {
    known.add(k);
    JsonNode v = node.get(k);
    return v == null || v.isNull() ? false : bool(k);
  }

  int optInt(String k, int min, int max) {
    known.add(k);
    JsonNode v = node.get(k);
    return v == null || v.isNull() ? 0 : checkInt(k, v, min, max);
  }

  Duration optDuration(String k) {
    known.add(k);
    JsonNode v = node.get(k);
    return v == null || v.isNull() ? Duration.ZERO : checkDuration(k, v);
  }

  Pattern optRegex(String k) {
    known.add(k);
    JsonNode v = node.get(k);
    if (v == null || v.isNull()) {
      return null;
    }
    String text = string(k);
    if (text.isEmpty()) {
      return null;
    }
    try {
      return Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      throw new ConfigException(key(k), "bad regular expression: " + e.getDescription() + " near index "
          + e.getIndex());
    }
  }

  /** Rejects every key that was never read, suggesting the closest known one. */
  void finish() {
    for (String name : fieldNames()) {
      if (!known.contains(name)) {
        String hint = closest(name);
        throw new ConfigException(key(name),
            "unknown key" + (hint == null ? "" : " (did you mean '" + key(hint) + "'?)"));
      }
    }
  }

  private String closest(String name) {
    String best = null;
    int bestDistance = 3;
    for (String k : known) {
      int d = distance(name, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] tmp = prev;
      prev = cur;
      cur = tmp;
    }
    return prev[b.length()];
  }

  private int checkInt(String k, JsonNode v, int min, int max) {
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw wrongType(k, "an integer", v);
    }
    int n = v.intValue();
    if (n < min || n > max) {
      throw new ConfigException(key(k), n + " is out of range "
          + (max == Integer.MAX_VALUE ? "(at least " + min + ")" : "[" + min + ", " + max + "]"));
    }
    return n;
  }

  private Duration checkDuration(String k, JsonNode v) {
    if (v.isIntegralNumber() && v.longValue() == 0) {
      return Duration.ZERO;
    }
    if (!v.isTextual()) {
      throw wrongType(k, "a duration such as 25s, 500ms, 10m, 1h or 7d", v);
    }
    try {
      return Durations.parse(v.textValue());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key(k), e.getMessage());
    }
  }

  private ConfigException wrongType(String k, String expected, JsonNode v) {
    return new ConfigException(key(k), "expected " + expected + ", got " + describe(v));
  }

  private static String describe(JsonNode v) {
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + v;
  }
}
