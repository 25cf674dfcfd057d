package io.switchboard.webhook;

import io.switchboard.presence.OccupancyListener;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's occupancy, as webhooks see it: per key (a channel, a user in a presence channel, a user) the
 * number of live subscriptions or connections here. Every event loop updates the counts (a map compute, no
 * I/O) and marks the key dirty; {@link #drain} later turns the dirty keys whose held/not-held state differs
 * from what PostgreSQL was last told into one batch of changes. A key that flips and flips back between two
 * drains changes nothing: a leave and rejoin within one flush interval is no event.
 */
final class Occupancy implements OccupancyListener {
  static final char CHANNEL = 'c';
  static final char MEMBER = 'm';
  static final char USER = 'u';

  record Key(char scope, String channel, String user) {}

  /** The key is now held by this node ({@code held}) or no longer. */
  record Change(Key key, boolean held) {}

  private final boolean channels;
  private final boolean members;
  private final boolean users;
  private final Map<Key, Integer> counts = new ConcurrentHashMap<>();
  private final Set<Key> dirty = ConcurrentHashMap.newKeySet();
  /** What PostgreSQL holds for this node: touched only by the one context that drains and commits. */
  private final Set<Key> committed = new HashSet<>();
  /** Keys of a batch whose outcome is unknown (it failed, maybe after committing): sent again whatever state. */
  private final Set<Key> uncertain = new HashSet<>();

  Occupancy(boolean channels, boolean members, boolean users) {
    this.channels = channels;
    this.members = members;
    this.users = users;
  }

  @Override
  public void connected(String user) {
    if (users && !user.isEmpty()) {
      up(new Key(USER, "", user));
    }
  }

  @Override
  public void disconnected(String user) {
    if (users && !user.isEmpty()) {
      down(new Key(USER, "", user));
    }
  }

  @Override
  public void subscribed(String channel, String user, boolean member) {
    if (channels) {
      up(new Key(CHANNEL, channel, ""));
    }
    if (members && member && !user.isEmpty()) {
      up(new Key(MEMBER, channel, user));
    }
  }

  @Override
  public void unsubscribed(String channel, String user, boolean member) {
    if (channels) {
      down(new Key(CHANNEL, channel, ""));
    }
    if (members && member && !user.isEmpty()) {
      down(new Key(MEMBER, channel, user));
    }
  }

  private void up(Key k) {
    counts.merge(k, 1, Integer::sum);
    dirty.add(k);
  }

  private void down(Key k) {
    counts.computeIfPresent(k, (key, n) -> n <= 1 ? null : n - 1);
    dirty.add(k);
  }

  /**
   * Up to {@code max} changes to tell PostgreSQL. A key is taken off the dirty set before its count is read,
   * so a change racing with this drain marks it dirty again for the next one.
   */
  List<Change> drain(int max) {
    List<Change> out = new ArrayList<>();
    Iterator<Key> it = dirty.iterator();
    while (it.hasNext() && out.size() < max) {
      Key k = it.next();
      it.remove();
      boolean held = counts.containsKey(k);
      if (uncertain.remove(k) || held != committed.contains(k)) {
        out.add(new Change(k, held));
      }
    }
    return out;
  }

  /** PostgreSQL has the batch. */
  void committed(List<Change> batch) {
    for (Change c : batch) {
      if (c.held()) {
        committed.add(c.key());
      } else {
        committed.remove(c.key());
      }
    }
  }

  /**
   * The batch failed, maybe after it committed: its keys are dirty again and their state is sent next time
   * whatever it is then (applying a change twice is harmless, see TransitionStore).
   */
  void failed(List<Change> batch) {
    for (Change c : batch) {
      uncertain.add(c.key());
      dirty.add(c.key());
    }
  }

  boolean hasDirty() {
    return !dirty.isEmpty();
  }

  int counted() {
    return counts.size();
  }
}
