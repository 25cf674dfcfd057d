package io.switchboard.sim;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;

/** Everything the connection side of one process needs: which connections it owns and how to open them. */
public record EngineConfig(
    List<URI> urls,
    boolean pinFirstUrl,
    List<String> sourceIps,
    String tokenSecret,
    boolean raw,
    Protocol protocol,
    int fromIndex,
    int toIndex,
    int eventLoops,
    int concurrency,
    double connectRate,
    Duration connectTimeout,
    Duration rampTimeout,
    Duration publishInterval,
    int payloadBytes,
    Duration reconnectDelayMin,
    Duration reconnectDelayMax,
    boolean sdkBackoff,
    boolean leanClient,
    IntFunction<ConnPlan> planner) {

  public int count() {
    return toIndex - fromIndex;
  }
}
