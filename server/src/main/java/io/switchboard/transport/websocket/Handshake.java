package io.switchboard.transport.websocket;

import io.switchboard.transport.Codecs;
import io.vertx.core.http.ServerWebSocketHandshake;
import java.util.List;

/**
 * Decides whether a WebSocket upgrade to the endpoint is accepted: the subprotocol, {@code ?cf_protocol}, and the
 * browser Origin. A
 * handshake without an Origin header (not a browser) is allowed; a browser origin must be the server's own
 * (same host as the request) or listed in {@code http.allowed_origins}.
 */
final class Handshake {
  private final List<String> allowedOrigins;

  Handshake(List<String> allowedOrigins) {
    this.allowedOrigins = allowedOrigins;
  }

  /** The HTTP status to reject with, or 0 to accept. */
  int check(ServerWebSocketHandshake hs) {
    String protocols = hs.headers().get("Sec-WebSocket-Protocol");
    if (protocols != null && !protocols.isBlank() && !WebSocketProtocols.offersAccepted(protocols)) {
      return 400; // none we speak: refused cleanly
    }
    if (Codecs.select(hs.query(), false) == null) {
      return 400; // ?cf_protocol names no codec
    }
    String origin = hs.headers().get("Origin");
    if (origin == null || origin.isEmpty() || originAllowed(origin, hs.headers().get("Host"))) {
      return 0;
    }
    return 403;
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
