package io.switchboard.protocol;

/** {@code send}: an asynchronous message, never answered; {@code data} raw JSON or null. */
public record SendRequest(String data) implements ClientRequest {}
