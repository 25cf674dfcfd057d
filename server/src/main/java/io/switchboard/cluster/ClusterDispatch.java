package io.switchboard.cluster;

import io.switchboard.broker.Dispatch;
import io.switchboard.broker.Hub;
import io.switchboard.broker.JoinLeave;
import io.switchboard.model.ClientInfo;
import io.switchboard.model.Publication;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Clustered delivery: committed publications go to this node's hub and, in one event-bus publish per
 * batch, to every other node, whose hub hands them to its own subscribers. Broadcasting to all nodes
 * (instead of tracking which node wants which channel) means no interest map to keep in sync: a node that
 * just got its first subscriber of a channel can't miss a publication sent before others learned of it.
 * Each node's {@code LoopChannel} puts arrivals back in offset order and fills gaps from PostgreSQL.
 */
public final class ClusterDispatch implements Dispatch {
  private final Hub hub;
  private final NodeBus bus;

  public ClusterDispatch(Hub hub, NodeBus bus) {
    this.hub = hub;
    this.bus = bus;
  }

  @Override
  public void publications(String channel, List<Publication> pubs, long acceptedAtMillis) {
    hub.deliver(channel, pubs, acceptedAtMillis);
    JsonArray arr = new JsonArray();
    for (Publication p : pubs) {
      JsonObject o = putData(new JsonObject().put("o", p.offset()), p.data(), p.json());
      if (p.info() != null) {
        o.put("i", p.info().toJson());
      }
      if (p.tags() != null && !p.tags().isEmpty()) {
        o.put("g", new JsonObject(new LinkedHashMap<>(p.tags())));
      }
      arr.add(o);
    }
    bus.broadcast(new JsonObject().put("t", "pubs").put("ch", channel).put("at", acceptedAtMillis).put("p", arr));
  }

  /** Channels per event-bus message of a bulk delivery. */
  static final int BULK_CHUNK = 2000;

  @Override
  public void sameToEach(List<Publication> pubs, long acceptedAtMillis) {
    for (Publication p : pubs) {
      hub.deliver(p.channel(), List.of(p), acceptedAtMillis);
    }
    Publication first = pubs.get(0);
    for (int from = 0; from < pubs.size(); from += BULK_CHUNK) {
      JsonArray channels = new JsonArray();
      JsonArray offsets = new JsonArray();
      for (Publication p : pubs.subList(from, Math.min(pubs.size(), from + BULK_CHUNK))) {
        channels.add(p.channel());
        offsets.add(p.offset());
      }
      JsonObject msg = putData(new JsonObject().put("t", "bulk").put("at", acceptedAtMillis), first.data(),
          first.json()).put("c", channels).put("o", offsets);
      if (first.info() != null) {
        msg.put("i", first.info().toJson());
      }
      if (first.tags() != null && !first.tags().isEmpty()) {
        msg.put("g", new JsonObject(new LinkedHashMap<>(first.tags())));
      }
      bus.broadcast(msg);
    }
  }

  /** Delivers a bulk batch that another node committed: one publication per channel, the same data. */
  void onBulk(JsonObject msg) {
    JsonObject info = msg.getJsonObject("i");
    JsonObject tags = msg.getJsonObject("g");
    Map<String, String> tagMap = new LinkedHashMap<>();
    if (tags != null) {
      tags.forEach(e -> tagMap.put(e.getKey(), String.valueOf(e.getValue())));
    }
    ClientInfo ci = info == null ? null : ClientInfo.fromJson(info);
    byte[] data = dataOf(msg);
    boolean json = msg.containsKey("d");
    long at = msg.getLong("at", System.currentTimeMillis());
    JsonArray channels = msg.getJsonArray("c");
    JsonArray offsets = msg.getJsonArray("o");
    for (int i = 0; i < channels.size(); i++) {
      String channel = channels.getString(i);
      hub.deliver(channel, List.of(new Publication(channel, offsets.getLong(i), data, json, ci, tagMap)), at);
    }
  }

  /** The event travels, not a client frame: each node encodes it for its own subscribers' codecs. */
  @Override
  public void joinLeave(JoinLeave event) {
    hub.deliverJoinLeave(event);
    bus.broadcast(joinLeaveMessage(event));
  }

  static JsonObject joinLeaveMessage(JoinLeave event) {
    return new JsonObject().put("t", "jl").put("ch", event.channel()).put("j", event.join())
        .put("i", event.info().toJson());
  }

  /**
   * The join or leave of a {@code jl} message, or null when it has none (a node of an earlier version sends a
   * client frame instead, which is not understood: it is ignored).
   */
  static JoinLeave joinLeaveOf(JsonObject msg) {
    JsonObject info = msg.getJsonObject("i");
    String channel = msg.getString("ch");
    if (info == null || channel == null || !(msg.getValue("j") instanceof Boolean join)) {
      return null;
    }
    return new JoinLeave(channel, join, ClientInfo.fromJson(info));
  }

  /** Delivers a batch that another node committed. */
  void onPublications(JsonObject msg) {
    String channel = msg.getString("ch");
    List<Publication> pubs = new ArrayList<>();
    for (Object o : msg.getJsonArray("p")) {
      JsonObject j = (JsonObject) o;
      JsonObject info = j.getJsonObject("i");
      JsonObject tags = j.getJsonObject("g");
      Map<String, String> tagMap = new LinkedHashMap<>();
      if (tags != null) {
        tags.forEach(e -> tagMap.put(e.getKey(), String.valueOf(e.getValue())));
      }
      pubs.add(new Publication(channel, j.getLong("o"), dataOf(j), j.containsKey("d"),
          info == null ? null : ClientInfo.fromJson(info), tagMap));
    }
    hub.deliver(channel, pubs, msg.getLong("at", System.currentTimeMillis()));
  }

  /**
   * Puts publication data into a message: JSON data as a string under {@code d} (as cheap as today's messages,
   * and exact: JSON data is valid UTF-8, so decoding and re-encoding gives the same bytes), other bytes as
   * base64 under {@code b}.
   */
  static JsonObject putData(JsonObject msg, byte[] data, boolean json) {
    return json ? msg.put("d", new String(data, StandardCharsets.UTF_8))
        : msg.put("b", Base64.getEncoder().encodeToString(data));
  }

  /** The data {@link #putData} put in; JSON when the message has {@code d}. */
  static byte[] dataOf(JsonObject msg) {
    String text = msg.getString("d");
    return text != null ? text.getBytes(StandardCharsets.UTF_8) : Base64.getDecoder().decode(msg.getString("b"));
  }

  void onJoinLeave(JoinLeave event) {
    hub.deliverJoinLeave(event);
  }
}
