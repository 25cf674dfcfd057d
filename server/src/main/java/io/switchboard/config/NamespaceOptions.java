package io.switchboard.config;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Options of one namespace, named as in Centrifugo. History in Switchboard is always durable
 * (PostgreSQL): {@code historySize > 0} turns it on. {@code historySize} and {@code historyTtl} bound how much
 * is kept ({@code historyTtl} zero means no age limit). {@code channelRegex} is null when unset.
 * {@code binary} (Switchboard's own): publication data may be any bytes, for Protobuf clients only (the
 * binary-data rule of docs/protocol.md).
 */
public record NamespaceOptions(
    String name,
    boolean presence,
    boolean joinLeave,
    boolean forcePushJoinLeave,
    int historySize,
    Duration historyTtl,
    boolean forcePositioning,
    boolean forceRecovery,
    boolean allowSubscribeForClient,
    boolean allowSubscribeForAnonymous,
    boolean allowPublishForSubscriber,
    boolean allowPublishForClient,
    boolean allowHistoryForSubscriber,
    boolean allowHistoryForClient,
    boolean allowPresenceForSubscriber,
    boolean allowPresenceForClient,
    boolean allowUserLimitedChannels,
    Pattern channelRegex,
    boolean binary) {

  public boolean history() {
    return historySize > 0;
  }
}
