package io.switchboard.core;

import io.switchboard.channel.ChannelPolicy;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.history.HistoryStore;
import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.vertx.core.Future;

/** Reading (and, for backends, clearing) a channel's stored history. */
public final class HistoryQueries {
  private final ChannelPolicy policy;
  private final HistoryStore history;

  public HistoryQueries(ChannelPolicy policy, HistoryStore history) {
    this.policy = policy;
    this.history = history;
  }

  /** {@code subscribed}: whether the asking client is subscribed to the channel. */
  public Future<HistoryStore.HistoryPage> forClient(String channel, NamespaceOptions ns, HistoryQuery q,
      boolean subscribed) {
    policy.checkHistory(ns, subscribed);
    return read(channel, q);
  }

  public Future<HistoryStore.HistoryPage> forServer(String channel, NamespaceOptions ns, HistoryQuery q) {
    requireHistory(ns);
    return read(channel, q);
  }

  /** Deletes the stored publications but keeps the stream's offset and epoch (clients' positions stay valid). */
  public Future<Void> remove(String channel, NamespaceOptions ns) {
    requireHistory(ns);
    return history.removeHistory(channel);
  }

  /** Throws unless the channel keeps history; a backend asking about a channel without it gets 108. */
  public static void requireHistory(NamespaceOptions ns) {
    if (!ns.history()) {
      throw new CoreException(Failure.NOT_AVAILABLE);
    }
  }

  private Future<HistoryStore.HistoryPage> read(String channel, HistoryQuery q) {
    return history.read(channel, q.after(), q.limit(), q.reverse()).map(page -> {
      if (q.sinceEpoch() != null && !q.sinceEpoch().isEmpty() && !q.sinceEpoch().equals(page.top().epoch())) {
        throw new CoreException(Failure.UNRECOVERABLE_POSITION);
      }
      return page;
    });
  }
}
