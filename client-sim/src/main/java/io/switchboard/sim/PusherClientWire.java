package io.switchboard.sim;

import java.util.HashMap;
import java.util.Map;

/**
 * The Pusher Channels protocol 7 (docs/pusher.md), as pusher-js speaks it on {@code ws://HOST:PORT/app/KEY}: one
 * JSON event per text frame. Unlike the Centrifugo wires it keeps per-connection state, since Pusher replies name
 * a channel, not a command id: which pending id a {@code subscription_succeeded} answers. Events, most of the
 * traffic, are scanned without a JSON parser; the payload's {@code sim_ts}/{@code sim_seq} arrive escaped inside
 * the {@code data} string.
 */
final class PusherClientWire implements ClientWire {
  static final String ESTABLISHED = "\"pusher:connection_established\"";
  static final String SUCCEEDED = "\"pusher_internal:subscription_succeeded\"";
  static final String PING = "{\"event\":\"pusher:ping\",\"data\":{}}";
  static final String PONG = "{\"event\":\"pusher:pong\",\"data\":{}}";
  private static final String TS_KEY = "sim_ts\\\":";
  private static final String SEQ_KEY = "sim_seq\\\":";

  private long connectId = -1;
  private final Map<String, Long> subscribeIds = new HashMap<>(2);

  @Override
  public String query() {
    return "protocol=7&client=js&version=8.4.0&flash=false";
  }

  @Override
  public void attach(SimSocket ws, WireEvents events) {
    ws.textHandler(text -> read(text, events));
    ws.binaryHandler(b -> events.unreadable("binary frame on a Pusher connection"));
  }

  /** Pusher has no connect command: the server speaks first; subscriptions may follow at once. */
  @Override
  public void handshake(SimSocket ws, Handshake h) {
    expect(h);
    for (SubscribeCmd s : h.subs()) {
      ws.writeText(subscribe(s.channel()));
    }
  }

  /** Which pending ids the server's connection_established and subscription_succeeded answer. */
  void expect(Handshake h) {
    connectId = h.connectId();
    subscribeIds.clear();
    for (SubscribeCmd s : h.subs()) {
      subscribeIds.put(s.channel(), s.id());
    }
  }

  static String subscribe(String channel) {
    return "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + Wire.escape(channel) + "\"}}";
  }

  @Override
  public void publish(SimSocket ws, long id, String channel, String data) {
    throw new UnsupportedOperationException("Pusher clients publish only client-* events on private channels");
  }

  @Override
  public void pong(SimSocket ws) {
    ws.writeText(PONG);
  }

  void read(String text, WireEvents events) {
    int seqAt = text.indexOf(SEQ_KEY);
    if (seqAt >= 0) { // an event carrying a client-sim payload
      int tsAt = text.indexOf(TS_KEY);
      events.publication(channel(text), Wire.parseLong(text, seqAt + SEQ_KEY.length()),
          tsAt < 0 ? -1 : Wire.parseLong(text, tsAt + TS_KEY.length()));
      return;
    }
    if (text.contains("\"pusher:ping\"")) {
      events.ping();
    } else if (text.contains(ESTABLISHED)) {
      if (events.replyTo(connectId) != null) {
        events.connected(null, null);
      }
    } else if (text.contains(SUCCEEDED)) {
      String ch = channel(text);
      Long id = ch == null ? null : subscribeIds.remove(ch);
      if (id != null && events.replyTo(id) != null) {
        events.subscribed(ch, null, new SubResult(0, "", false, false, new long[0]));
      }
    } else if (text.contains("\"pusher:subscription_error\"") || text.contains("\"pusher:error\"")) {
      String ch = channel(text);
      Long id = ch == null ? null : subscribeIds.remove(ch);
      if (id != null && events.replyTo(id) != null) {
        events.subscribed(ch, "subscription_error", null);
      } else {
        events.push(WireEvents.PUSH_DISCONNECT);
      }
    } else {
      events.push(WireEvents.PUSH_OTHER);
    }
  }

  /** The value of the frame's {@code "channel"} (Pusher names need no unescaping), or null. */
  static String channel(String text) {
    int i = text.indexOf("\"channel\":\"");
    if (i < 0) {
      return null;
    }
    int from = i + 11;
    int end = text.indexOf('"', from);
    return end < 0 ? null : text.substring(from, end);
  }
}
