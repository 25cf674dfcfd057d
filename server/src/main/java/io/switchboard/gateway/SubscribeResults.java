package io.switchboard.gateway;

import io.switchboard.codec.json.JsonParams;
import io.switchboard.broker.RecoveryRequest;
import io.switchboard.broker.SubscribeOutcome;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.model.Publication;
import io.switchboard.codec.json.JsonCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Builds the SubscribeResult object shared by subscribe replies, connect {@code subs} and subscribe pushes. */
final class SubscribeResults {
  private SubscribeResults() {}

  static RecoveryRequest request(NamespaceOptions ns, JsonObject p) {
    if (!ns.history()) {
      return RecoveryRequest.NONE;
    }
    boolean recoverable = ns.forceRecovery() || JsonParams.optBool(p, "recoverable");
    boolean positioned = recoverable || ns.forcePositioning() || JsonParams.optBool(p, "positioned");
    boolean recover = recoverable && JsonParams.optBool(p, "recover");
    long offset = JsonParams.optLong(p, "offset", 0);
    String epoch = JsonParams.optString(p, "epoch");
    return new RecoveryRequest(positioned, recoverable, recover, Math.max(0, offset), epoch == null ? "" : epoch);
  }

  static JsonObject toJson(RecoveryRequest req, SubscribeOutcome outcome, long expireAt) {
    JsonObject r = new JsonObject();
    if (expireAt > 0) {
      r.put("expires", true).put("ttl", Math.max(1, expireAt - System.currentTimeMillis() / 1000));
    }
    if (outcome.top() != null && (req.positioned() || req.recoverable())) {
      if (req.recoverable()) {
        r.put("recoverable", true);
      }
      if (req.positioned()) {
        r.put("positioned", true);
      }
      r.put("epoch", outcome.top().epoch());
      if (req.recover()) {
        r.put("was_recovering", true);
        if (outcome.recovered()) {
          r.put("recovered", true);
          r.put("offset", req.offset());
          JsonArray pubs = new JsonArray();
          for (Publication p : outcome.publications()) {
            pubs.add(JsonCodec.publicationJson(p));
          }
          if (!pubs.isEmpty()) {
            r.put("publications", pubs);
          }
        } else if (outcome.top().offset() > 0) {
          r.put("offset", outcome.top().offset());
        }
      } else if (outcome.top().offset() > 0) {
        r.put("offset", outcome.top().offset());
      }
    }
    return r;
  }
}
