package io.switchboard.gateway;

import io.switchboard.model.CoreException;
import io.switchboard.protocol.DisconnectCode;

/**
 * What a failed connect becomes on a unidirectional transport, where there is no error reply to send: the
 * disconnect Centrifugo closes such a connection with. A refusal that is already a disconnect (invalid token
 * 3500, no token 3501) stays one; an expired token ends the connection as expired (3005, so the client fetches
 * a new token and reconnects); the rest map as in Centrifugo, and anything else is an internal error (3004).
 */
final class UniConnectFailure {
  private UniConnectFailure() {}

  static DisconnectCode disconnectFor(Throwable t) {
    if (t instanceof DisconnectException d) {
      return d.code;
    }
    if (t instanceof CoreException c) {
      return switch (c.failure()) {
        case TOKEN_EXPIRED, EXPIRED -> DisconnectCode.CONNECTION_EXPIRED;
        case TOO_MANY_REQUESTS -> DisconnectCode.TOO_MANY_REQUESTS;
        case PERMISSION_DENIED -> DisconnectCode.PERMISSION_DENIED;
        default -> DisconnectCode.INTERNAL;
      };
    }
    return DisconnectCode.INTERNAL;
  }
}
