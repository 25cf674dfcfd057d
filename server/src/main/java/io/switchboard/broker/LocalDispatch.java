package io.switchboard.broker;

import io.switchboard.model.Publication;
import java.util.List;

/** Single-node delivery: straight to the hub. */
public final class LocalDispatch implements Dispatch {
  private final Hub hub;

  public LocalDispatch(Hub hub) {
    this.hub = hub;
  }

  @Override
  public void publications(String channel, List<Publication> pubs, long acceptedAtMillis) {
    hub.deliver(channel, pubs, acceptedAtMillis);
  }

  @Override
  public void joinLeave(JoinLeave event) {
    hub.deliverJoinLeave(event);
  }
}
