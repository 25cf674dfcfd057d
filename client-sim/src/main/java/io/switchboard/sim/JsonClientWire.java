package io.switchboard.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The JSON protocol: text frames of newline-separated commands and replies. Publication pushes, most of the
 * traffic, are scanned by {@link Wire} without a JSON parser; replies and rarer pushes are parsed in full.
 */
final class JsonClientWire implements ClientWire {
  static final JsonClientWire INSTANCE = new JsonClientWire();

  private JsonClientWire() {}

  @Override
  public String query() {
    return null;
  }

  @Override
  public void attach(SimSocket ws, WireEvents events) {
    ws.textHandler(text -> read(text, events));
    ws.binaryHandler(b -> events.unreadable("binary frame on a JSON connection"));
  }

  @Override
  public void handshake(SimSocket ws, Handshake h) {
    StringBuilder frame = new StringBuilder(256);
    String recoverSubs = h.personal() == null ? null : "{\"" + Wire.escape(h.personal().channel()) + "\":"
        + Wire.recoverEntry(h.personal().offset(), h.personal().epoch()) + "}";
    frame.append(Wire.connect(h.connectId(), h.token(), recoverSubs));
    for (SubscribeCmd s : h.subs()) {
      frame.append('\n').append(s.recover() ? Wire.subscribeRecover(s.id(), s.channel(), s.offset(), s.epoch())
          : Wire.subscribe(s.id(), s.channel()));
    }
    ws.writeText(frame.toString());
  }

  @Override
  public void publish(SimSocket ws, long id, String channel, String data) {
    ws.writeText(Wire.publish(id, channel, data));
  }

  @Override
  public void pong(SimSocket ws) {
    ws.writeText(Wire.PING);
  }

  static void read(String text, WireEvents events) {
    int from = 0;
    while (true) {
      int nl = text.indexOf('\n', from);
      String line = nl < 0 ? (from == 0 ? text : text.substring(from)) : text.substring(from, nl);
      line(line, events);
      if (nl < 0) {
        return;
      }
      from = nl + 1;
    }
  }

  private static void line(String line, WireEvents events) {
    if (line.equals(Wire.PING)) {
      events.ping();
      return;
    }
    if (events.raw()) {
      publication(null, line, events);
      return;
    }
    String ch = Wire.pushChannel(line);
    if (ch != null) {
      if (Wire.isPub(line, ch)) {
        publication(ch, line, events);
      } else {
        events.push(line.contains("\"unsubscribe\":{") ? WireEvents.PUSH_UNSUBSCRIBE : WireEvents.PUSH_OTHER);
      }
      return;
    }
    long id = Wire.replyId(line);
    if (id < 0) {
      events.push(line.contains("\"disconnect\"") ? WireEvents.PUSH_DISCONNECT : WireEvents.PUSH_OTHER);
      return;
    }
    WireEvents.Pending p = events.replyTo(id);
    if (p == null) {
      return;
    }
    switch (p.kind()) {
      case WireEvents.PUBLISH -> events.published(p, line.contains("\"error\"") ? errorCode(new JsonObject(line)) : null);
      case WireEvents.CONNECT -> connected(new JsonObject(line), events);
      default -> {
        JsonObject reply = new JsonObject(line);
        String error = errorCode(reply);
        events.subscribed(p.channel(), error,
            error != null ? null : subResult(reply.getJsonObject("subscribe", new JsonObject())));
      }
    }
  }

  private static void publication(String channel, String line, WireEvents events) {
    long off = Wire.offset(line);
    events.publication(channel, off > 0 ? off : Wire.sequence(line), Wire.timestamp(line));
  }

  private static void connected(JsonObject reply, WireEvents events) {
    String error = errorCode(reply);
    if (error != null) {
      events.connected(error, null);
      return;
    }
    String personal = events.personalChannel();
    JsonObject subs = reply.getJsonObject("connect", new JsonObject()).getJsonObject("subs");
    JsonObject r = personal == null || subs == null ? null : subs.getJsonObject(personal);
    events.connected(null, r == null ? null : subResult(r));
  }

  /** The error code of a reply with an error ("?" without a code), or null. */
  private static String errorCode(JsonObject reply) {
    JsonObject e = reply.getJsonObject("error");
    return e == null ? null : String.valueOf(e.getValue("code", "?"));
  }

  static SubResult subResult(JsonObject r) {
    JsonArray pubs = r.getJsonArray("publications");
    long[] offsets = new long[pubs == null ? 0 : pubs.size()];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = pubs.getJsonObject(i).getLong("offset", 0L);
    }
    return new SubResult(r.getLong("offset", 0L), r.getString("epoch", ""), r.getBoolean("was_recovering", false),
        r.getBoolean("recovered", false), offsets);
  }
}
