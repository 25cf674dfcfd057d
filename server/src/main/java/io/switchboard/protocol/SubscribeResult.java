package io.switchboard.protocol;

import io.switchboard.model.Publication;
import java.util.List;

/**
 * {@code subscribe}, connect's {@code subs} entries and the server-side subscribe push. {@code epoch} is null
 * when the stream position is not told (no history, or neither positioned nor recoverable); {@code offset} is
 * the stream top, or, when {@code recovered}, the offset recovery started from; {@code publications} are the
 * recovered ones, empty otherwise.
 */
public record SubscribeResult(boolean expires, long ttl, boolean recoverable, String epoch,
    List<Publication> publications, boolean recovered, long offset, boolean positioned, boolean wasRecovering)
    implements ClientResult {

  /** Unsubscribed (or closed) while the position was being read: nothing to tell. */
  public static final SubscribeResult EMPTY =
      new SubscribeResult(false, 0, false, null, List.of(), false, 0, false, false);
}
