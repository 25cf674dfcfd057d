package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.RecoveryRequest;
import io.switchboard.broker.SubscribeOutcome;
import io.switchboard.codec.json.JsonReplies;
import io.switchboard.model.Publication;
import io.switchboard.model.StreamPosition;
import io.switchboard.codec.json.JsonCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The typed SubscribeResult, encoded, is the same text as the JSON the subscribe path built before it was
 * typed: that builder is kept below, verbatim, as the reference, and every combination is compared.
 */
class SubscribeResultsTest {

  @Test
  void sameJsonAsBeforeForEveryCombination() {
    Publication pub = new Publication("c", 6, "[1,{\"a\":null}]", null, Map.of("k", "v"));
    List<StreamPosition> tops = new ArrayList<>();
    tops.add(null);
    tops.add(new StreamPosition(0, "e0"));
    tops.add(new StreamPosition(12, "e1"));
    int checked = 0;
    for (StreamPosition top : tops) {
      for (int flags = 0; flags < 16; flags++) {
        for (long offset : new long[] {0, 5}) {
          for (boolean recovered : new boolean[] {false, true}) {
            for (List<Publication> pubs : List.of(List.<Publication>of(), List.of(pub))) {
              for (long expireAt : new long[] {0, 1} /* 1: long past, ttl 1 whenever it is computed */) {
                RecoveryRequest req = new RecoveryRequest((flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0,
                    offset, (flags & 8) != 0 ? "e1" : "");
                SubscribeOutcome outcome = new SubscribeOutcome(top, recovered, recovered ? pubs : List.of(), null);
                String expected = legacyToJson(req, outcome, expireAt).encode();
                String actual = JsonReplies.subscribe(SubscribeResults.of(req, outcome, expireAt)).encode();
                assertThat(actual).as("%s %s %s", req, outcome, expireAt).isEqualTo(expected);
                checked++;
              }
            }
          }
        }
      }
    }
    assertThat(checked).isEqualTo(3 * 16 * 2 * 2 * 2 * 2);
  }

  @Test
  void noEpochOrAnotherEpochIsNeverRecovered() {
    Publication pub = new Publication("c", 1, "{}", null, Map.of());
    SubscribeOutcome outcome = new SubscribeOutcome(new StreamPosition(3, "e1"), true, List.of(pub), null);
    for (String epoch : new String[] {"", "e0"}) {
      var r = SubscribeResults.of(new RecoveryRequest(true, true, true, 0, epoch), outcome, 0);
      assertThat(r.recovered()).as(epoch).isFalse();
      assertThat(r.publications()).as(epoch).isEmpty();
      assertThat(r.offset()).as(epoch).isEqualTo(3L);
    }
    var same = SubscribeResults.of(new RecoveryRequest(true, true, true, 0, "e1"), outcome, 0);
    assertThat(same.recovered()).isTrue();
    assertThat(same.publications()).hasSize(1);
  }

  /** SubscribeResults.toJson as it was (commit d3b3b68), but for the epoch rule marked below. */
  private static JsonObject legacyToJson(RecoveryRequest req, SubscribeOutcome outcome, long expireAt) {
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
        // Changed since: a position of no epoch or of another epoch is never recovered (issue 12).
        if (outcome.recovered() && req.epoch().equals(outcome.top().epoch())) {
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
