package io.switchboard.config;

import java.time.Duration;

/**
 * Per-connection protocol settings and limits. {@code maxPendingCommandBytes} and {@code maxPendingCommands}
 * bound what one connection has read but not yet answered, {@code nodePendingCommandBytes} the same summed over
 * every connection of the node: past either, the connection stops reading (docs/operations.md, Limits).
 */
public record ClientConfig(
    Duration pingInterval,
    Duration pongTimeout,
    Duration staleTimeout,
    Duration expiredCloseDelay,
    int maxMessageBytes,
    int maxSubscriptions,
    int commandRatePerSecond,
    int commandBurst,
    int maxOutboundBytes,
    int recoveryMaxPublications,
    int historyMaxLimit,
    boolean allowAnonymous,
    int maxPendingCommandBytes,
    int maxPendingCommands,
    int nodePendingCommandBytes) {}
