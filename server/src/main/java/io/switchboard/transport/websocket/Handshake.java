package io.switchboard.transport.websocket;

import io.switchboard.transport.Codecs;
import io.switchboard.transport.OriginCheck;
import io.vertx.core.http.ServerWebSocketHandshake;

/**
 * Decides whether a WebSocket upgrade to the endpoint is accepted: the subprotocol, {@code ?cf_protocol}, and the
 * browser Origin. A
 * handshake without an Origin header (not a browser) is allowed; a browser origin is checked by {@link OriginCheck}.
 */
final class Handshake {
  private final OriginCheck origins;

  Handshake(OriginCheck origins) {
    this.origins = origins;
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
    return origins.allows(hs.headers().get("Origin"), hs.headers().get("Host")) ? 0 : 403;
  }
}
