package io.switchboard.config;

/**
 * Where the durable store lives. An empty {@code url} means the embedded PostgreSQL under
 * {@code dataDir/postgres}. {@code url} has the form {@code postgresql://user:pass@host:port/db}.
 */
public record PostgresConfig(String url, int poolSize, int pipeliningLimit) {

  public boolean embedded() {
    return url.isEmpty();
  }
}
