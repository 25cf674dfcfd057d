package io.switchboard.broker;

import io.switchboard.model.Publication;
import io.switchboard.model.StreamPosition;
import java.util.List;

/**
 * What a subscribe found: the stream top (null for channels without history), whether the requested
 * recovery succeeded, and the recovered publications in offset order (empty unless recovered).
 */
public record SubscribeOutcome(StreamPosition top, boolean recovered, List<Publication> publications, Throwable failure) {

  static SubscribeOutcome failed(Throwable t) {
    return new SubscribeOutcome(null, false, List.of(), t);
  }
}
