package io.switchboard.protocol;

/** {@code publish}: {@code data} is raw JSON text, never null. */
public record PublishRequest(String channel, String data) implements ClientRequest {}
