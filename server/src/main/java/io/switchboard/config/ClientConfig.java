package io.switchboard.config;

import java.time.Duration;

/** Per-connection protocol settings and limits. */
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
    boolean allowAnonymous) {}
