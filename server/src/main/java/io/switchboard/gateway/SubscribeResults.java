package io.switchboard.gateway;

import io.switchboard.broker.RecoveryRequest;
import io.switchboard.broker.SubscribeOutcome;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.protocol.SubscribeRequest;
import io.switchboard.protocol.SubscribeResult;
import java.util.List;

/** The recovery a client asks for, and the SubscribeResult of subscribe replies, connect subs and pushes. */
final class SubscribeResults {
  private SubscribeResults() {}

  /** A client-side subscription's recovery: the request's flags combined with the namespace's force_* options. */
  static RecoveryRequest request(NamespaceOptions ns, SubscribeRequest q) {
    if (!ns.history()) {
      return RecoveryRequest.NONE;
    }
    boolean recoverable = ns.forceRecovery() || q.recoverable();
    boolean positioned = recoverable || ns.forcePositioning() || q.positioned();
    boolean recover = recoverable && q.recover();
    String epoch = q.epoch();
    return new RecoveryRequest(positioned, recoverable, recover, Math.max(0, q.offset()), epoch == null ? "" : epoch);
  }

  /** {@code expireAt}: epoch seconds when the subscription token expires, 0 for never. */
  static SubscribeResult of(RecoveryRequest req, SubscribeOutcome outcome, long expireAt) {
    boolean expires = expireAt > 0;
    long ttl = expires ? Ttl.of(expireAt) : 0;
    if (outcome.top() == null || !(req.positioned() || req.recoverable())) {
      return new SubscribeResult(expires, ttl, false, null, List.of(), false, 0, false, false);
    }
    // Recovered only from a position in this stream's epoch: an empty or another epoch never counts.
    boolean recovered = req.recover() && outcome.recovered() && !req.epoch().isEmpty()
        && req.epoch().equals(outcome.top().epoch());
    // Recovered: the offset recovery started from; otherwise the stream top.
    long offset = recovered ? req.offset() : outcome.top().offset();
    return new SubscribeResult(expires, ttl, req.recoverable(), outcome.top().epoch(),
        recovered ? outcome.publications() : List.of(), recovered, offset, req.positioned(), req.recover());
  }
}
