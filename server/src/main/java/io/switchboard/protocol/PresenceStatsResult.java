package io.switchboard.protocol;

/** {@code presence_stats}. */
public record PresenceStatsResult(int numClients, int numUsers) implements ClientResult {}
