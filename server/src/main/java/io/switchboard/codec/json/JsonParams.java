package io.switchboard.codec.json;

import io.switchboard.model.Failure;
import io.switchboard.model.CoreException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Typed access to the fields of a JSON request (client commands and server API bodies alike): a missing
 * required field or a wrong type is {@link Failure#BAD_REQUEST}, which both Centrifugo edges answer as 107.
 */
public final class JsonParams {
  private JsonParams() {}

  public static String requiredString(JsonObject p, String key) {
    String v = optString(p, key);
    if (v == null || v.isEmpty()) {
      throw new CoreException(Failure.BAD_REQUEST, key + " required");
    }
    return v;
  }

  public static String optString(JsonObject p, String key) {
    Object v = p.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new CoreException(Failure.BAD_REQUEST, key + " must be a string");
    }
    return s;
  }

  public static boolean optBool(JsonObject p, String key) {
    Object v = p.getValue(key);
    if (v == null) {
      return false;
    }
    if (!(v instanceof Boolean b)) {
      throw new CoreException(Failure.BAD_REQUEST, key + " must be a boolean");
    }
    return b;
  }

  public static long optLong(JsonObject p, String key, long dflt) {
    Object v = p.getValue(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new CoreException(Failure.BAD_REQUEST, key + " must be an integer");
    }
    return n.longValue();
  }

  /**
   * A stream offset: an integer from 0 to 2^63-1 (0 when absent). Centrifugo's offsets are uint64, but
   * Switchboard's stop below 2^63; a larger one (parsed as a BigInteger) or a negative one would wrap to a
   * different position, so it is refused rather than read as some other offset.
   */
  public static long optOffset(JsonObject p, String key) {
    Object v = p.getValue(key);
    if (v == null) {
      return 0;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      long l = ((Number) v).longValue();
      if (l < 0) {
        throw new CoreException(Failure.BAD_REQUEST, key + " out of range");
      }
      return l;
    }
    if (!(v instanceof Number n)) {
      throw new CoreException(Failure.BAD_REQUEST, key + " must be an integer");
    }
    java.math.BigInteger b;
    try {
      b = new java.math.BigDecimal(n.toString()).toBigIntegerExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new CoreException(Failure.BAD_REQUEST, key + " must be an integer");
    }
    if (b.signum() < 0 || b.bitLength() > 63) {
      throw new CoreException(Failure.BAD_REQUEST, key + " out of range");
    }
    return b.longValue();
  }

  public static JsonObject optObject(JsonObject p, String key) {
    Object v = p.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject o)) {
      throw new CoreException(Failure.BAD_REQUEST, key + " must be an object");
    }
    return o;
  }

  public static JsonArray optArray(JsonObject p, String key) {
    Object v = p.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray a)) {
      throw new CoreException(Failure.BAD_REQUEST, key + " must be an array");
    }
    return a;
  }

  /** Raw JSON text of a required {@code data} field (any JSON value, including null is refused). */
  public static String requiredData(JsonObject p) {
    if (!p.containsKey("data") || p.getValue("data") == null) {
      throw new CoreException(Failure.BAD_REQUEST, "data required");
    }
    return io.switchboard.model.RawJson.encode(p.getValue("data"));
  }
}
