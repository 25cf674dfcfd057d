package io.switchboard.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** PROVISIONAL (replaced by the k8s branch's version at merge). */
public record ClusterConfig(List<String> members, String kubernetesServiceDns, String host, int port,
    int eventBusPort, String publicHost, String clusterName, Duration heartbeatInterval, Duration maxNoHeartbeat,
    Duration drainWindow, Duration shutdownGrace) {

  public boolean enabled() {
    return !members.isEmpty() || !kubernetesServiceDns.isEmpty();
  }

  static ClusterConfig provisional(Map<String, String> env) {
    String m = env.getOrDefault("SWITCHBOARD_CLUSTER_MEMBERS", "");
    return new ClusterConfig(m.isBlank() ? List.of() : List.of(m.split(",")), "",
        env.getOrDefault("SWITCHBOARD_CLUSTER_HOST", ""), Integer.parseInt(env.getOrDefault("SWITCHBOARD_CLUSTER_PORT", "5701")),
        Integer.parseInt(env.getOrDefault("SWITCHBOARD_EVENTBUS_PORT", "17001")), "", "switchboard",
        Duration.ofSeconds(1), Duration.ofSeconds(5),
        Durations.parse(env.getOrDefault("SWITCHBOARD_DRAIN_WINDOW", "10s")),
        Durations.parse(env.getOrDefault("SWITCHBOARD_SHUTDOWN_GRACE", "30s")));
  }
}
