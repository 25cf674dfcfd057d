package io.switchboard.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.switchboard.config.ClusterConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Builds the Hazelcast cluster manager and event-bus options from {@link ClusterConfig}: TCP-IP members for
 * local runs and tests, or DNS lookup through a headless Service on Kubernetes. Failure detection is set to
 * seconds (Hazelcast's default is a minute), because a dead node's presence must clear within 10 s.
 */
public final class ClusterSetup {
  private ClusterSetup() {}

  public static HazelcastClusterManager manager(ClusterConfig c) {
    Config hz = ConfigUtil.loadConfig(); // keeps the maps Vert.x needs (__vertx.subs, __vertx.nodeInfo, ...)
    hz.setClusterName(c.clusterName());
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.heartbeat.interval.seconds", Long.toString(Math.max(1, c.heartbeatInterval().toSeconds())));
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(Math.max(2, c.maxNoHeartbeat().toSeconds())));
    hz.setProperty("hazelcast.wait.seconds.before.join", "1");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false"); // Switchboard leaves the cluster itself, in order
    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(c.port()).setPortAutoIncrement(false);
    if (!c.host().isEmpty()) {
      net.getInterfaces().setEnabled(true).addInterface(c.host());
      hz.setProperty("hazelcast.local.localAddress", c.host());
    }
    if (!c.publicHost().isEmpty()) {
      net.setPublicAddress(c.publicHost() + ":" + c.port());
    }
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (!c.members().isEmpty()) {
      join.getTcpIpConfig().setEnabled(true).setMembers(c.members());
    } else {
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", c.kubernetesServiceDns());
    }
    return new HazelcastClusterManager(hz);
  }

  public static EventBusOptions eventBus(ClusterConfig c) {
    EventBusOptions eb = new EventBusOptions().setPort(c.eventBusPort());
    if (!c.host().isEmpty()) {
      eb.setHost(c.host());
    }
    String pub = c.publicHost().isEmpty() ? c.host() : c.publicHost();
    if (!pub.isEmpty()) {
      eb.setClusterPublicHost(pub).setClusterPublicPort(c.eventBusPort());
    }
    return eb;
  }
}
