package io.switchboard.protocol;

/** {@code unsubscribe}. */
public record UnsubscribeRequest(String channel) implements ClientRequest {}
