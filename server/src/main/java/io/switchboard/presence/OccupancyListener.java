package io.switchboard.presence;

/**
 * Hears every connection and live subscription of this node come and go, whichever front end made it, so that
 * something above the core (webhooks) can derive the node's occupancy from them. Called on the connection's
 * event loop, on every loop at once: implementations must be thread-safe and must not block or do I/O.
 */
public interface OccupancyListener {
  OccupancyListener NONE = new OccupancyListener() {};

  /** A connection of {@code user} was established on this node. */
  default void connected(String user) {}

  /** A connection of {@code user} that {@link #connected} announced has gone. */
  default void disconnected(String user) {}

  /** A subscription went live; {@code member} when the channel keeps presence. */
  default void subscribed(String channel, String user, boolean member) {}

  /** A subscription that {@link #subscribed} announced has ended. */
  default void unsubscribed(String channel, String user, boolean member) {}
}
