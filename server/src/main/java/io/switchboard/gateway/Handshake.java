package io.switchboard.gateway;

import io.vertx.core.http.ServerWebSocketHandshake;
import java.util.List;

/**
 * Decides whether a WebSocket upgrade is accepted: the path, the subprotocol, and the browser Origin. A
 * handshake without an Origin header (not a browser) is allowed; a browser origin must be the server's own
 * (same host as the request) or listed in {@code http.allowed_origins}.
 */
final class Handshake {
  static final String PATH = "/connection/websocket";

  private final List<String> allowedOrigins;

  Handshake(List<String> allowedOrigins) {
    this.allowedOrigins = allowedOrigins;
  }

  /** The HTTP status to reject with, or 0 to accept. */
  int check(ServerWebSocketHandshake hs) {
    String path = hs.path();
    if (!PATH.equals(path) && !(PATH + "/").equals(path)) {
      return 404;
    }
    String protocols = hs.headers().get("Sec-WebSocket-Protocol");
    if (protocols != null && !protocols.isBlank() && !offers(protocols, "centrifuge-json")) {
      return 400; // only JSON is spoken here; centrifuge-protobuf is refused cleanly
    }
    String origin = hs.headers().get("Origin");
    if (origin == null || origin.isEmpty() || originAllowed(origin, hs.headers().get("Host"))) {
      return 0;
    }
    return 403;
  }

  private static boolean offers(String header, String protocol) {
    for (String p : header.split(",")) {
      if (p.trim().equals(protocol)) {
        return true;
      }
    }
    return false;
  }

  boolean originAllowed(String origin, String host) {
    for (String allowed : allowedOrigins) {
      if (allowed.equals("*") || allowed.equalsIgnoreCase(origin)) {
        return true;
      }
    }
    if (host == null) {
      return false;
    }
    String o = origin.toLowerCase();
    String h = host.toLowerCase();
    return o.equals("http://" + h) || o.equals("https://" + h);
  }
}
