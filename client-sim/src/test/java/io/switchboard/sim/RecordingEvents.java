package io.switchboard.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link WireEvents} written down as lines, with a pending list, for comparing what each protocol reports. */
final class RecordingEvents implements WireEvents {
  final List<String> events = new ArrayList<>();
  final Map<Long, Pending> pending = new HashMap<>();
  String personal;
  boolean raw;

  @Override
  public boolean raw() {
    return raw;
  }

  @Override
  public String personalChannel() {
    return personal;
  }

  @Override
  public void ping() {
    events.add("ping");
  }

  @Override
  public void publication(String channel, long seq, long sentMicros) {
    events.add("pub " + channel + " seq=" + seq + " ts=" + sentMicros);
  }

  @Override
  public void push(int kind) {
    events.add("push " + kind);
  }

  @Override
  public Pending replyTo(long id) {
    Pending p = pending.remove(id);
    if (p == null) {
      events.add("unknown reply " + id);
    }
    return p;
  }

  @Override
  public void connected(String error, ClientWire.SubResult personal) {
    events.add("connected error=" + error + " personal=" + describe(personal));
  }

  @Override
  public void subscribed(String channel, String error, ClientWire.SubResult result) {
    events.add("subscribed " + channel + " error=" + error + " result=" + describe(result));
  }

  @Override
  public void published(Pending p, String error) {
    events.add("published error=" + error);
  }

  @Override
  public void unreadable(String what) {
    events.add("unreadable");
  }

  private static String describe(ClientWire.SubResult r) {
    return r == null ? "null" : r.offset() + "/" + r.epoch() + " recovering=" + r.wasRecovering() + " recovered="
        + r.recovered() + " pubs=" + Arrays.toString(r.publicationOffsets());
  }
}
