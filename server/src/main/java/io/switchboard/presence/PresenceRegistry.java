package io.switchboard.presence;

import io.switchboard.model.ClientInfo;
import io.vertx.core.Future;
import java.util.Map;

/**
 * Who is in which channel. The local implementation serves one node; a cluster-wide one (issue 3) shares
 * entries through Hazelcast and clears a dead node's entries on a membership event.
 */
public interface PresenceRegistry {

  void add(String channel, ClientInfo info);

  void remove(String channel, String clientId);

  /** clientId to info, for the whole deployment. */
  Future<Map<String, ClientInfo>> get(String channel);

  Future<Stats> stats(String channel);

  record Stats(int numClients, int numUsers) {}
}
