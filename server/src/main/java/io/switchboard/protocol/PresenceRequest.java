package io.switchboard.protocol;

/** {@code presence}. */
public record PresenceRequest(String channel) implements ClientRequest {}
