package io.switchboard.protocol;

/** {@code sub_refresh}: {@code ttl} (seconds) counts only when {@code expires}. */
public record SubRefreshResult(boolean expires, long ttl) implements ClientResult {}
