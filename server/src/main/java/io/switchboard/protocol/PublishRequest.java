package io.switchboard.protocol;

/**
 * {@code publish}: {@code data} as the client sent it, never null nor empty: JSON text in UTF-8 from the JSON
 * codec, any bytes from the Protobuf codec (the namespace decides whether it takes them: see
 * {@code core.PublicationData}).
 */
public record PublishRequest(String channel, byte[] data) implements ClientRequest {}
