package io.switchboard.pusher;

import io.switchboard.broker.RecoveryRequest;
import io.switchboard.broker.SubscribeOutcome;
import io.switchboard.config.NamespaceOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Switchboard's opt-in resume extension of the Pusher protocol (docs/pusher.md, "Resuming"). A client asks for
 * it per subscription with {@code "switchboard_resume": true} (positions from now on) or
 * {@code "switchboard_resume": {"offset": N, "epoch": "E"}} (and what it missed after that position) in the
 * data of {@code pusher:subscribe}. It then gets, right after {@code pusher_internal:subscription_succeeded},
 * one {@code switchboard:resumed} event on the channel saying where the stream is and whether the missed
 * events follow, those events in order, then the live ones; each of its events on a channel with history
 * carries {@code "switchboard_offset"} beside {@code event}/{@code channel}/{@code data}. The replay is the
 * core's recovery (the one Centrifugo clients use): from the loop's window or PostgreSQL, gapless into live.
 * Clients that do not ask see Pusher's frames only.
 */
record PusherResume(boolean recover, long offset, String epoch) {
  static final String FIELD = "switchboard_resume";
  static final String EVENT = "switchboard:resumed";

  /** The extension asked for by a subscribe's {@code switchboard_resume} value, or null (not asked, or malformed). */
  static PusherResume of(Object value) {
    if (Boolean.TRUE.equals(value)) {
      return new PusherResume(false, 0, "");
    }
    if (value instanceof JsonObject o && o.getValue("offset") instanceof Number n && o.getValue("epoch") instanceof String e) {
      return new PusherResume(true, Math.max(0, n.longValue()), e);
    }
    return null;
  }

  RecoveryRequest request(NamespaceOptions ns) {
    return ns.history() ? new RecoveryRequest(true, true, recover, offset, epoch) : RecoveryRequest.NONE;
  }

  /**
   * {@code switchboard:resumed}: {@code offset}/{@code epoch} of the stream once the replay is done,
   * {@code recovered} and {@code replayed} (how many events follow) when a position was given, or
   * {@code recovered: false} with a {@code reason}: the position is unknown or too old (what was missed is
   * lost), or the channel keeps no history.
   */
  byte[] resumed(String channel, NamespaceOptions ns, SubscribeOutcome outcome) {
    JsonObject d = new JsonObject();
    if (!ns.history() || outcome.top() == null) {
      d.put("recovered", false).put("reason", "the channel keeps no history");
    } else {
      d.put("offset", outcome.top().offset()).put("epoch", outcome.top().epoch());
      if (recover) {
        d.put("recovered", outcome.recovered()).put("replayed", outcome.publications().size());
        if (!outcome.recovered()) {
          d.put("reason", "position unknown or too old: the missed events are lost");
        }
      }
    }
    return new JsonObject().put("event", EVENT).put("channel", channel).put("data", d.encode()).encode()
        .getBytes(StandardCharsets.UTF_8);
  }
}
