package io.switchboard.codec.json;

import io.switchboard.presence.PresenceRegistry;
import io.switchboard.protocol.ClientResult;
import io.switchboard.protocol.ConnectResult;
import io.switchboard.protocol.HistoryResult;
import io.switchboard.protocol.PresenceResult;
import io.switchboard.protocol.PresenceStatsResult;
import io.switchboard.protocol.PublishResult;
import io.switchboard.protocol.ReplyError;
import io.switchboard.protocol.RefreshResult;
import io.switchboard.protocol.RpcResult;
import io.switchboard.protocol.SubRefreshResult;
import io.switchboard.protocol.SubscribeResult;
import io.switchboard.protocol.UnsubscribeResult;
import io.vertx.core.json.JsonObject;

/**
 * Encodes typed results into the JSON result objects of replies. Optional fields are left out when absent
 * (false, 0, null), as Centrifugo's JSON does; insertion order is the wire order.
 */
public final class JsonReplies {
  private JsonReplies() {}

  /** A whole reply frame: {@code {"id":N,"<method>":{result}}}. */
  public static String reply(long id, String method, JsonObject result) {
    if (result == null || result.isEmpty()) { // every publish and send: skip the JSON encoder
      return "{\"id\":" + id + ",\"" + method + "\":{}}";
    }
    return new JsonObject().put("id", id).put(method, result).encode();
  }

  /** An error reply frame: {@code {"id":N,"error":{code, message, temporary?}}}. */
  public static String error(long id, ReplyError error) {
    return new JsonObject().put("id", id).put("error", error.toJson()).encode();
  }

  /** The result object of a reply; null (a command with no result) is {@code {}}. */
  public static JsonObject encode(ClientResult result) {
    return switch (result) {
      case null -> new JsonObject();
      case ConnectResult r -> connect(r);
      case SubscribeResult r -> subscribe(r);
      case UnsubscribeResult r -> new JsonObject();
      case PublishResult r -> new JsonObject();
      case PresenceResult r -> JsonResults.presence(r.presence());
      case PresenceStatsResult r ->
          JsonResults.presenceStats(new PresenceRegistry.Stats(r.numClients(), r.numUsers()));
      case HistoryResult r -> JsonResults.history(r.publications(), r.epoch(), r.offset());
      case RpcResult r -> new JsonObject().put("data", r.data() == null ? null : JsonData.value(r.data(), true));
      case RefreshResult r -> refresh(r);
      case SubRefreshResult r -> expiry(new JsonObject(), r.expires(), r.ttl());
    };
  }

  public static JsonObject connect(ConnectResult r) {
    if (r.client() == null) {
      return new JsonObject(); // ConnectResult.NONE
    }
    JsonObject o = new JsonObject().put("client", r.client()).put("version", r.version())
        .put("ping", r.ping()).put("pong", r.pong());
    expiry(o, r.expires(), r.ttl());
    if (r.subs() != null) {
      JsonObject subs = new JsonObject();
      r.subs().forEach((channel, sub) -> subs.put(channel, subscribe(sub)));
      o.put("subs", subs);
    }
    if (r.session() != null) {
      o.put("session", r.session()).put("node", r.node());
    }
    if (r.data() != null) {
      o.put("data", JsonData.value(r.data(), true));
    }
    return o;
  }

  /** Also the body of the server-side subscribe push and of each entry of connect's {@code subs}. */
  public static JsonObject subscribe(SubscribeResult r) {
    JsonObject o = expiry(new JsonObject(), r.expires(), r.ttl());
    if (r.epoch() == null) {
      return o; // position not told
    }
    if (r.recoverable()) {
      o.put("recoverable", true);
    }
    if (r.positioned()) {
      o.put("positioned", true);
    }
    o.put("epoch", r.epoch());
    if (r.wasRecovering()) {
      o.put("was_recovering", true);
    }
    if (r.recovered()) {
      // Recovered: offset is where recovery started, told even when 0.
      o.put("recovered", true).put("offset", r.offset());
      if (!r.publications().isEmpty()) {
        o.put("publications", JsonResults.publications(r.publications()));
      }
    } else if (r.offset() > 0) {
      o.put("offset", r.offset());
    }
    return o;
  }

  private static JsonObject refresh(RefreshResult r) {
    return expiry(new JsonObject().put("client", r.client()).put("version", r.version()), r.expires(), r.ttl());
  }

  private static JsonObject expiry(JsonObject o, boolean expires, long ttl) {
    if (expires) {
      o.put("expires", true).put("ttl", ttl);
    }
    return o;
  }
}
