package io.switchboard.presence;

import io.switchboard.model.ClientInfo;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Presence of one node, in memory. Sessions on every event loop write to it, so it is concurrent.
 *
 * <p>Most presence channels have one member here (a user's personal channel, a small room): such a channel
 * holds its {@link ClientInfo} itself, and gets a map of its own only from its second member. A map per
 * channel costs about 180 bytes (the map, its table of 16, a node), for each of the presence channels of
 * every idle connection. All changes run inside the outer map's per-key lock ({@code compute}), so a member
 * is never added to a map that a concurrent remove has just dropped.
 */
public final class LocalPresence implements PresenceRegistry {
  /** channel -> its one {@link ClientInfo}, or a {@code ConcurrentHashMap<String, ClientInfo>} by client id. */
  private final Map<String, Object> byChannel = new ConcurrentHashMap<>();

  @Override
  public void add(String channel, ClientInfo info) {
    byChannel.compute(channel, (k, v) -> {
      if (v == null || v instanceof ClientInfo one && one.client().equals(info.client())) {
        return info;
      }
      Map<String, ClientInfo> m = v instanceof ClientInfo one ? mapOf(one) : members(v);
      m.put(info.client(), info);
      return m;
    });
  }

  @Override
  public void remove(String channel, String clientId) {
    byChannel.computeIfPresent(channel, (k, v) -> {
      if (v instanceof ClientInfo one) {
        return one.client().equals(clientId) ? null : one;
      }
      Map<String, ClientInfo> m = members(v);
      m.remove(clientId);
      return m.isEmpty() ? null : m;
    });
  }

  @Override
  public Future<Map<String, ClientInfo>> get(String channel) {
    return Future.succeededFuture(getNow(channel));
  }

  /** The entries of a channel, now (a copy). */
  public Map<String, ClientInfo> getNow(String channel) {
    Object v = byChannel.get(channel);
    if (v == null) {
      return Map.of();
    }
    return v instanceof ClientInfo one ? Map.of(one.client(), one) : Map.copyOf(members(v));
  }

  /** Every entry, channel by channel: for snapshots sent to other nodes. */
  public void forEach(BiConsumer<String, ClientInfo> action) {
    byChannel.forEach((channel, v) -> {
      if (v instanceof ClientInfo one) {
        action.accept(channel, one);
      } else {
        members(v).values().forEach(info -> action.accept(channel, info));
      }
    });
  }

  @Override
  public Future<Stats> stats(String channel) {
    Object v = byChannel.get(channel);
    if (v == null) {
      return Future.succeededFuture(new Stats(0, 0));
    }
    if (v instanceof ClientInfo) {
      return Future.succeededFuture(new Stats(1, 1));
    }
    Set<String> users = new HashSet<>();
    int clients = 0;
    for (ClientInfo ci : members(v).values()) {
      clients++;
      users.add(ci.user());
    }
    return Future.succeededFuture(new Stats(clients, users.size()));
  }

  private static Map<String, ClientInfo> mapOf(ClientInfo first) {
    Map<String, ClientInfo> m = new ConcurrentHashMap<>();
    m.put(first.client(), first);
    return m;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ClientInfo> members(Object v) {
    return (Map<String, ClientInfo>) v;
  }
}
