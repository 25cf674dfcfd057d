package io.switchboard.config;

import java.time.Duration;

/**
 * Where the durable store lives, and how long the node waits for it. An empty {@code url} means the embedded
 * PostgreSQL under {@code dataDir/postgres}. {@code url} has the form {@code postgresql://user:pass@host:port/db}.
 *
 * <p>Timeouts (see docs/operations.md, "Limits and timeouts"): {@code connectTimeout} bounds a TCP connect;
 * {@code statementTimeout} is PostgreSQL's own {@code statement_timeout} and also the client-side deadline of
 * every statement and transaction, waiting for a pooled connection included (a hung server never answers its
 * own timeout); {@code idleTimeout} closes pooled connections unused that long; {@code readyTimeout} is the
 * deadline of {@code /health/ready}'s probe; {@code waitQueueSize} bounds the requests waiting for a connection.
 */
public record PostgresConfig(String url, int poolSize, int pipeliningLimit, Duration connectTimeout,
    Duration statementTimeout, Duration idleTimeout, Duration readyTimeout, int waitQueueSize) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
  public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(2);
  public static final int DEFAULT_WAIT_QUEUE_SIZE = 10_000;

  /** With the default timeouts (those of conf/switchboard.yaml). */
  public PostgresConfig(String url, int poolSize, int pipeliningLimit) {
    this(url, poolSize, pipeliningLimit, DEFAULT_CONNECT_TIMEOUT, DEFAULT_STATEMENT_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
        DEFAULT_READY_TIMEOUT, DEFAULT_WAIT_QUEUE_SIZE);
  }

  public boolean embedded() {
    return url.isEmpty();
  }
}
