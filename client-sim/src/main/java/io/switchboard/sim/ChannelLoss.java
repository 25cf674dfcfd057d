package io.switchboard.sim;

import io.vertx.core.json.JsonObject;

/**
 * The sum over every subscription of one channel in one process: enough to compute lost publications once the
 * channel's final top is known, and to merge the results of several processes.
 */
public final class ChannelLoss {
  long subscriptions;
  long sumStart;
  long sumUnique;
  long sumMissed;
  long duplicates;
  long outOfOrder;
  long received;
  long maxSeen;

  public void add(SeqTracker t) {
    subscriptions++;
    sumStart += t.start();
    sumUnique += t.unique();
    sumMissed += t.missed();
    duplicates += t.duplicates();
    outOfOrder += t.outOfOrder();
    received += t.received();
    maxSeen = Math.max(maxSeen, t.maxSeen());
  }

  public void merge(ChannelLoss o) {
    subscriptions += o.subscriptions;
    sumStart += o.sumStart;
    sumUnique += o.sumUnique;
    sumMissed += o.sumMissed;
    duplicates += o.duplicates;
    outOfOrder += o.outOfOrder;
    received += o.received;
    maxSeen = Math.max(maxSeen, o.maxSeen);
  }

  /** Publications up to {@code top} that some subscription never received (each subscription counts). */
  public long lost(long top) {
    return sumMissed + Math.max(0, subscriptions * top - sumStart - sumUnique);
  }

  public long subscriptions() {
    return subscriptions;
  }

  public long duplicates() {
    return duplicates;
  }

  public long outOfOrder() {
    return outOfOrder;
  }

  public long maxSeen() {
    return maxSeen;
  }

  public long received() {
    return received;
  }

  public JsonObject toJson() {
    return new JsonObject().put("subs", subscriptions).put("start", sumStart).put("unique", sumUnique)
        .put("missed", sumMissed).put("dup", duplicates).put("ooo", outOfOrder).put("recv", received)
        .put("max", maxSeen);
  }

  public static ChannelLoss fromJson(JsonObject j) {
    ChannelLoss c = new ChannelLoss();
    c.subscriptions = j.getLong("subs", 0L);
    c.sumStart = j.getLong("start", 0L);
    c.sumUnique = j.getLong("unique", 0L);
    c.sumMissed = j.getLong("missed", 0L);
    c.duplicates = j.getLong("dup", 0L);
    c.outOfOrder = j.getLong("ooo", 0L);
    c.received = j.getLong("recv", 0L);
    c.maxSeen = j.getLong("max", 0L);
    return c;
  }
}
