package io.switchboard.protocol;

/** {@code send}: an asynchronous message, never answered; {@code data} the bytes sent, or null. */
public record SendRequest(byte[] data) implements ClientRequest {}
