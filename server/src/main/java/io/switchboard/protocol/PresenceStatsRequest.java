package io.switchboard.protocol;

/** {@code presence_stats}. */
public record PresenceStatsRequest(String channel) implements ClientRequest {}
