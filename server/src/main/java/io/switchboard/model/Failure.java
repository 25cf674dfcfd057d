package io.switchboard.model;

/**
 * Why the core refused or failed a request, in front-end-neutral terms. Each front end maps these to its own
 * wire codes: the Centrifugo edges through {@code protocol.ErrorCode}, a Pusher edge to its own.
 */
public enum Failure {
  /** Something broke on our side (PostgreSQL down, a bug); the client may retry. */
  INTERNAL,
  UNAUTHORIZED,
  /** The channel's namespace is not defined, or the name does not match its pattern. */
  UNKNOWN_CHANNEL,
  PERMISSION_DENIED,
  METHOD_NOT_FOUND,
  ALREADY_SUBSCRIBED,
  /** A size or count limit (channel name length, subscriptions, users per call). */
  LIMIT_EXCEEDED,
  /** Malformed or missing input. */
  BAD_REQUEST,
  /** The feature is off for this channel (no history, no presence). */
  NOT_AVAILABLE,
  TOKEN_EXPIRED,
  EXPIRED,
  TOO_MANY_REQUESTS,
  /** The requested stream position is from another epoch. */
  UNRECOVERABLE_POSITION
}
