package io.switchboard.sim;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lost, duplicated and out-of-order publications over every channel of a run, merged from every process. The
 * final top of each channel comes from whoever knows it: the API publisher's results, or the history API at the
 * end. Where neither knows it, the highest number any subscriber saw is used, which can only undercount losses.
 */
public final class LossReport {
  private final Map<String, ChannelLoss> channels = new TreeMap<>();

  public void add(String channel, SeqTracker tracker) {
    channels.computeIfAbsent(channel, c -> new ChannelLoss()).add(tracker);
  }

  public void merge(LossReport other) {
    other.channels.forEach((ch, l) -> channels.computeIfAbsent(ch, c -> new ChannelLoss()).merge(l));
  }

  public Map<String, ChannelLoss> channels() {
    return channels;
  }

  /** The totals, given the final top of each channel where it is known. */
  public Totals totals(Map<String, Long> tops) {
    long lost = 0;
    long dup = 0;
    long ooo = 0;
    long unknownTops = 0;
    for (Map.Entry<String, ChannelLoss> e : channels.entrySet()) {
      ChannelLoss l = e.getValue();
      Long top = tops.get(e.getKey());
      if (top == null) {
        unknownTops++;
        top = l.maxSeen();
      }
      lost += l.lost(top);
      dup += l.duplicates();
      ooo += l.outOfOrder();
    }
    return new Totals(lost, dup, ooo, channels.size(), unknownTops);
  }

  public record Totals(long lost, long duplicated, long outOfOrder, long channels, long channelsWithoutKnownTop) {}

  public JsonObject toJson() {
    JsonObject j = new JsonObject();
    channels.forEach((ch, l) -> j.put(ch, l.toJson()));
    return j;
  }

  public static LossReport fromJson(JsonObject j) {
    LossReport r = new LossReport();
    if (j != null) {
      for (String ch : j.fieldNames()) {
        r.channels.put(ch, ChannelLoss.fromJson(j.getJsonObject(ch)));
      }
    }
    return r;
  }
}
