package io.switchboard.config;

import java.time.Duration;

/**
 * Draining on SIGTERM. The node first reports not-ready and stops accepting connections, then closes its clients
 * with code 3001 in batches spread over {@code drainWindow}, and exits within {@code grace} of the signal
 * ({@code grace} is longer than {@code drainWindow}). Parsed and validated only; the runtime applies it.
 */
public record ShutdownConfig(Duration drainWindow, Duration grace) {}
