package io.switchboard.core;

import io.switchboard.channel.ChannelPolicy;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.model.ClientInfo;
import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.switchboard.presence.PresenceRegistry;
import io.vertx.core.Future;
import java.util.Map;

/** Who is in a channel, across the deployment: for a client (permissions apply) or a backend (none do). */
public final class PresenceQueries {
  private final ChannelPolicy policy;
  private final PresenceRegistry presence;

  public PresenceQueries(ChannelPolicy policy, PresenceRegistry presence) {
    this.policy = policy;
    this.presence = presence;
  }

  /** clientId to info; {@code subscribed}: whether the asking client is subscribed to the channel. */
  public Future<Map<String, ClientInfo>> forClient(String channel, NamespaceOptions ns, boolean subscribed) {
    policy.checkPresence(ns, subscribed);
    return presence.get(channel);
  }

  public Future<PresenceRegistry.Stats> statsForClient(String channel, NamespaceOptions ns, boolean subscribed) {
    policy.checkPresence(ns, subscribed);
    return presence.stats(channel);
  }

  public Future<Map<String, ClientInfo>> forServer(String channel, NamespaceOptions ns) {
    requirePresence(ns);
    return presence.get(channel);
  }

  public Future<PresenceRegistry.Stats> statsForServer(String channel, NamespaceOptions ns) {
    requirePresence(ns);
    return presence.stats(channel);
  }

  /** Throws unless the channel keeps presence; a backend asking about a channel without it gets 108. */
  public static void requirePresence(NamespaceOptions ns) {
    if (!ns.presence()) {
      throw new CoreException(Failure.NOT_AVAILABLE);
    }
  }
}
