package io.switchboard.broker;

import io.switchboard.model.Publication;
import java.util.List;

/**
 * Where publications go once they are committed: to this node's hub only ({@link LocalDispatch}), or also
 * to the other nodes of a cluster (issue 3).
 */
public interface Dispatch {

  /** {@code acceptedAtMillis}: when the publish was accepted, for the publish-to-delivery latency metric. */
  void publications(String channel, List<Publication> pubs, long acceptedAtMillis);

  /**
   * One committed publication in each of many channels, all with the same data, info and tags (a bulk
   * notify). By default one {@link #publications} call per channel; a cluster sends them to the other nodes
   * in a few messages that carry the data once.
   */
  default void sameToEach(List<Publication> pubs, long acceptedAtMillis) {
    for (Publication p : pubs) {
      publications(p.channel(), List.of(p), acceptedAtMillis);
    }
  }

  /** A client joined or left a channel: to the subscribers that asked for join/leave, on every node. */
  void joinLeave(JoinLeave event);
}
