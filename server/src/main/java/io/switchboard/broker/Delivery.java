package io.switchboard.broker;

import io.switchboard.model.Publication;
import io.switchboard.codec.json.JsonCodec;

/** A publication together with its push frame, encoded once per node and shared by every subscriber. */
public record Delivery(Publication publication, byte[] frame, long acceptedAtMillis) {

  public static Delivery of(Publication p, long acceptedAtMillis) {
    return new Delivery(p, JsonCodec.INSTANCE.publicationPush(p.channel(), p), acceptedAtMillis);
  }

  public long offset() {
    return publication.offset();
  }
}
