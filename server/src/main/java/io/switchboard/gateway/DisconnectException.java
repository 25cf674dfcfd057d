package io.switchboard.gateway;

import io.switchboard.protocol.DisconnectCode;

/** Thrown (or failed with) by a command handler when the connection must be closed instead of answered. */
final class DisconnectException extends RuntimeException {
  final DisconnectCode code;

  DisconnectException(DisconnectCode code) {
    super(code.reason, null, false, false);
    this.code = code;
  }
}
