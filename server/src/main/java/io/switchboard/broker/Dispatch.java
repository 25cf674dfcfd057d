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

  void joinLeave(String channel, String frame);
}
