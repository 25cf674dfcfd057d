package io.switchboard.config;

import java.time.Duration;
import java.util.List;

/**
 * Clustering: how this node finds the others and where it listens for them. Clustering is on when either
 * {@code members} (a TCP-IP join list of {@code host:port}) or {@code kubernetesServiceDns} (Hazelcast DNS-lookup
 * discovery through a headless Service) is set; the two are mutually exclusive. Parsed and validated only: the
 * cluster runtime builds the Hazelcast and event-bus configuration from these values.
 *
 * @param members Hazelcast TCP-IP members, each {@code host:port} (IPv6 as {@code [addr]:port})
 * @param kubernetesServiceDns FQDN of the headless Service whose A records are the members
 * @param host this node's Hazelcast and event-bus bind address; empty = chosen automatically
 * @param port the Hazelcast member port
 * @param eventBusPort the Vert.x clustered event-bus TCP port (0 = random, tests only)
 * @param publicHost the address other nodes use to reach this one; empty = {@code host}
 * @param clusterName the Hazelcast cluster name; nodes with another name never join
 * @param heartbeatInterval Hazelcast heartbeat interval (whole seconds)
 * @param maxNoHeartbeat a member silent this long is dropped (whole seconds, longer than the heartbeat)
 */
public record ClusterConfig(
    List<String> members,
    String kubernetesServiceDns,
    String host,
    int port,
    int eventBusPort,
    String publicHost,
    String clusterName,
    Duration heartbeatInterval,
    Duration maxNoHeartbeat) {

  /** True when this node should join a cluster (members or Kubernetes DNS configured). */
  public boolean enabled() {
    return !members.isEmpty() || !kubernetesServiceDns.isEmpty();
  }

  /** The address advertised to other nodes: {@code publicHost}, else {@code host} (may be empty = auto). */
  public String advertisedHost() {
    return publicHost.isEmpty() ? host : publicHost;
  }
}
