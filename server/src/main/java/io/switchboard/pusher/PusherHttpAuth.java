package io.switchboard.pusher;

import io.switchboard.config.PusherConfig;
import io.vertx.core.MultiMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pusher's signature of a server API request: {@code auth_signature} is HMAC-SHA256(secret,
 * "METHOD\nPATH\nQUERY"), QUERY being every other parameter as {@code key=value} (raw, not URL-encoded) sorted
 * by key and joined by {@code &}; {@code auth_key} names the app's key, {@code auth_timestamp} must be within
 * {@link #WINDOW_SECONDS} of now, and a request with a body carries {@code body_md5}, its MD5 in hex.
 */
final class PusherHttpAuth {
  static final long WINDOW_SECONDS = 600;

  private PusherHttpAuth() {}

  /** Null when the request is genuine; else why not (the 401's body). */
  static String refusal(PusherConfig.App app, String method, String path, MultiMap params, byte[] body,
      long nowSeconds) {
    if (!app.key().equals(params.get("auth_key"))) {
      return "Unknown auth_key";
    }
    if (!"1.0".equals(params.get("auth_version"))) {
      return "auth_version must be 1.0";
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(params.get("auth_timestamp"));
    } catch (NumberFormatException e) {
      return "auth_timestamp missing or not a number";
    }
    if (Math.abs(nowSeconds - timestamp) > WINDOW_SECONDS) {
      return "Timestamp expired: " + timestamp + " is more than " + WINDOW_SECONDS + "s from server time " + nowSeconds;
    }
    if (body != null && body.length > 0) {
      if (!PusherSignatures.same(PusherSignatures.md5Hex(body), params.get("body_md5"))) {
        return "body_md5 does not match the body";
      }
    }
    Map<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, String> e : params) {
      if (!e.getKey().equals("auth_signature")) {
        sorted.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue());
      }
    }
    StringBuilder query = new StringBuilder();
    sorted.forEach((k, v) -> query.append(query.isEmpty() ? "" : "&").append(k).append('=').append(v));
    String expected = PusherSignatures.hmacHex(app.secret(), method + "\n" + path + "\n" + query);
    return PusherSignatures.same(expected, params.get("auth_signature")) ? null : "Invalid signature";
  }
}
