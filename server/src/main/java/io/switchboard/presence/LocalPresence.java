package io.switchboard.presence;

import io.switchboard.model.ClientInfo;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Presence of one node, in memory. Sessions on every event loop write to it, so it is concurrent. */
public final class LocalPresence implements PresenceRegistry {
  private final Map<String, Map<String, ClientInfo>> byChannel = new ConcurrentHashMap<>();

  @Override
  public void add(String channel, ClientInfo info) {
    byChannel.computeIfAbsent(channel, k -> new ConcurrentHashMap<>()).put(info.client(), info);
  }

  @Override
  public void remove(String channel, String clientId) {
    byChannel.computeIfPresent(channel, (k, m) -> {
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
    Map<String, ClientInfo> m = byChannel.get(channel);
    return m == null ? Map.of() : Map.copyOf(m);
  }

  /** Every entry, channel by channel: for snapshots sent to other nodes. */
  public void forEach(java.util.function.BiConsumer<String, ClientInfo> action) {
    byChannel.forEach((channel, clients) -> clients.values().forEach(info -> action.accept(channel, info)));
  }

  @Override
  public Future<Stats> stats(String channel) {
    Map<String, ClientInfo> m = byChannel.get(channel);
    if (m == null) {
      return Future.succeededFuture(new Stats(0, 0));
    }
    Set<String> users = new HashSet<>();
    int clients = 0;
    for (ClientInfo ci : m.values()) {
      clients++;
      users.add(ci.user());
    }
    return Future.succeededFuture(new Stats(clients, users.size()));
  }
}
