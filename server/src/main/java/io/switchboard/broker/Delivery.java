package io.switchboard.broker;

import io.switchboard.codec.ClientCodec;
import io.switchboard.model.Publication;

/**
 * A publication on its way to the subscribers of this node, with its push frame encoded once per codec
 * (lazily, see {@link CodecFrames}) and shared by every subscriber of every event loop.
 */
public final class Delivery extends CodecFrames {
  private final Publication publication;
  private final long acceptedAtMillis;

  private Delivery(Publication publication, long acceptedAtMillis) {
    this.publication = publication;
    this.acceptedAtMillis = acceptedAtMillis;
  }

  public static Delivery of(Publication p, long acceptedAtMillis) {
    return new Delivery(p, acceptedAtMillis);
  }

  public Publication publication() {
    return publication;
  }

  public long offset() {
    return publication.offset();
  }

  /** When the publish was accepted, for the publish-to-delivery latency metric. */
  public long acceptedAtMillis() {
    return acceptedAtMillis;
  }

  @Override
  public String toString() {
    return "publication " + publication.channel() + "@" + publication.offset();
  }

  @Override
  byte[] encode(ClientCodec codec) {
    return codec.publicationPush(publication.channel(), publication);
  }
}
