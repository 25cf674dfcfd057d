package io.switchboard.protocol;

/** {@code refresh}: a new connection token, never empty. */
public record RefreshRequest(String token) implements ClientRequest {}
