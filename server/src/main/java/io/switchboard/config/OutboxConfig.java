package io.switchboard.config;

import java.time.Duration;

/** Ingest of the PostgreSQL outbox table: woken by LISTEN/NOTIFY, with polling as the fallback. */
public record OutboxConfig(boolean enabled, Duration pollInterval, int batchSize) {}
