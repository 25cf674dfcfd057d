package io.switchboard.broker;

import io.switchboard.model.Publication;

/** A publication together with its push frame, encoded once per node and shared by every subscriber. */
public record Delivery(Publication publication, String frame, long acceptedAtMillis) {
  public long offset() {
    return publication.offset();
  }
}
