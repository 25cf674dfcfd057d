package io.switchboard.protocol;

/** {@code sub_refresh}: a new subscription token for one channel; both never empty. */
public record SubRefreshRequest(String channel, String token) implements ClientRequest {}
