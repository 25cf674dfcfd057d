package io.switchboard.pusher;

import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;

/** The mapping from the core's neutral {@link Failure} to Pusher's WebSocket error codes and HTTP statuses. */
final class PusherErrors {
  /** Pusher's codes (https://pusher.com/docs/channels/library_auth_reference/pusher-websockets-protocol). */
  static final int APP_NOT_FOUND = 4001;
  static final int UNAUTHORIZED = 4009;
  static final int OVER_CAPACITY = 4100;
  static final int RECONNECT = 4200;
  static final int PONG_NOT_RECEIVED = 4201;
  static final int CLIENT_EVENT_REJECTED = 4301;

  private PusherErrors() {}

  static Failure failure(Throwable t) {
    return t instanceof CoreException ce ? ce.failure() : Failure.INTERNAL;
  }

  /** The {@code pusher:error} code of a failure: 4xxx codes the client knows what to do with. */
  static int code(Failure f) {
    return switch (f) {
      case UNAUTHORIZED, PERMISSION_DENIED, TOKEN_EXPIRED, EXPIRED -> UNAUTHORIZED;
      case LIMIT_EXCEEDED -> OVER_CAPACITY;
      case TOO_MANY_REQUESTS -> CLIENT_EVENT_REJECTED;
      case BAD_REQUEST, UNKNOWN_CHANNEL, METHOD_NOT_FOUND, ALREADY_SUBSCRIBED, NOT_AVAILABLE,
          UNRECOVERABLE_POSITION -> 4000; // 4000-4099: the client must not reconnect unchanged
      case INTERNAL -> RECONNECT;
    };
  }

  /** The HTTP status of a failure in the server API. */
  static int status(Failure f) {
    return switch (f) {
      case UNAUTHORIZED, TOKEN_EXPIRED, EXPIRED -> 401;
      case PERMISSION_DENIED -> 403;
      case UNKNOWN_CHANNEL, NOT_AVAILABLE -> 404;
      case TOO_MANY_REQUESTS -> 429;
      case BAD_REQUEST, LIMIT_EXCEEDED, METHOD_NOT_FOUND, ALREADY_SUBSCRIBED, UNRECOVERABLE_POSITION -> 400;
      case INTERNAL -> 500;
    };
  }
}
