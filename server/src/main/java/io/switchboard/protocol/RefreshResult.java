package io.switchboard.protocol;

/** {@code refresh}: {@code ttl} (seconds) counts only when {@code expires}. */
public record RefreshResult(String client, String version, boolean expires, long ttl) implements ClientResult {}
