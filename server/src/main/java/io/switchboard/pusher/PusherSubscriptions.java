package io.switchboard.pusher;

import io.switchboard.broker.RecoveryRequest;
import io.switchboard.broker.Subscription;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.core.Core;
import io.switchboard.model.ClientInfo;
import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.switchboard.model.Publication;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The channels of one Pusher session: subscribing (auth, presence members), unsubscribing, client events,
 * and the per-user member counts that turn per-connection joins into Pusher's per-user member events. All
 * through the core's {@code Subscribing}, {@code PresenceQueries} and {@code Publishing}, like any front end.
 */
final class PusherSubscriptions {
  private final PusherSession session;
  /** By Pusher channel name. */
  private final Map<String, Sub> subs = new HashMap<>();

  /** One channel: its core subscription and, for presence, the connections per user it knows of. */
  private static final class Sub {
    final String pusherName;
    final Subscription sub;
    final NamespaceOptions ns;
    final ClientInfo info;
    /** Opted into the resume extension: events carry their position, what was missed is replayed. */
    final PusherResume resume;
    Map<String, Integer> members;

    Sub(String pusherName, Subscription sub, NamespaceOptions ns, ClientInfo info, PusherResume resume) {
      this.pusherName = pusherName;
      this.sub = sub;
      this.ns = ns;
      this.info = info;
      this.resume = resume;
    }
  }

  PusherSubscriptions(PusherSession session) {
    this.session = session;
  }

  private Core core() {
    return session.loop.services.core();
  }

  void subscribe(JsonObject data) {
    String channel = data.getValue("channel") instanceof String s ? s : null;
    if (!PusherChannels.valid(channel)) {
      session.write(PusherEvents.error(PusherErrors.UNAUTHORIZED, "Invalid channel name"));
      return;
    }
    if (subs.containsKey(channel)) {
      return; // already subscribed (or subscribing): pusher-js does not ask twice
    }
    String channelData = data.getValue("channel_data") instanceof String s ? s : null;
    if (PusherChannels.needsAuth(channel) && !PusherSignatures.channelAuthValid(session.app, session.socketId,
        channel, PusherChannels.isPresence(channel) ? channelData : null, data.getString("auth"))) {
      session.write(PusherEvents.subscriptionError(channel, "AuthError", "Invalid signature", 401));
      return;
    }
    ClientInfo info = new ClientInfo("", session.socketId, null, null);
    if (PusherChannels.isPresence(channel)) {
      info = member(channelData);
      if (info == null) {
        session.write(PusherEvents.subscriptionError(channel, "AuthError",
            "channel_data must be a JSON object with a user_id", 400));
        return;
      }
    }
    String target = PusherChannels.switchboard(session.app.id(), channel);
    NamespaceOptions ns = session.loop.channels.options(session.app.id(), channel);
    Sub s = new Sub(channel, new Subscription(target, session, ns.joinLeave()), ns, info,
        PusherResume.of(data.getValue(PusherResume.FIELD)));
    subs.put(channel, s);
    if (PusherChannels.isPresence(channel)) {
      core().presence().forServer(target, ns).onComplete(ar -> session.loop.context.runOnContext(v -> {
        if (subs.get(channel) != s) {
          return; // unsubscribed or closed meanwhile
        }
        if (ar.failed()) {
          fail(s, ar.cause(), false);
        } else {
          Map<String, String> members = PusherEvents.members(ar.result(), s.info);
          s.members = new HashMap<>();
          ar.result().values().forEach(c -> s.members.merge(c.user(), 1, Integer::sum));
          s.members.merge(s.info.user(), 1, Integer::sum);
          goLive(s, members);
        }
      }));
    } else {
      goLive(s, null);
    }
  }

  private ClientInfo member(String channelData) {
    if (channelData == null) {
      return null;
    }
    try {
      JsonObject d = new JsonObject(channelData);
      Object user = d.getValue("user_id");
      if (!(user instanceof String || user instanceof Number) || user.toString().isEmpty()
          || user.toString().indexOf(0) >= 0) {
        return null;
      }
      Object userInfo = d.getValue("user_info");
      return new ClientInfo(user.toString(), session.socketId, null, userInfo == null ? null : Json.encode(userInfo));
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private void goLive(Sub s, Map<String, String> members) {
    RecoveryRequest req = s.resume == null ? RecoveryRequest.NONE : s.resume.request(s.ns);
    core().subscribing().subscribe(session.loop.hub, s.sub, s.ns, req, outcome -> {
      if (subs.get(s.pusherName) != s) {
        return; // unsubscribed or closed meanwhile: that already left
      }
      if (outcome.failure() != null) {
        fail(s, outcome.failure(), true);
        return;
      }
      session.write(PusherEvents.subscriptionSucceeded(s.pusherName, members));
      if (s.resume != null) { // in this loop turn, so before any live event of the channel
        session.write(s.resume.resumed(s.pusherName, s.ns, outcome));
        for (Publication p : outcome.publications()) {
          session.deliver(PusherCodec.INSTANCE.publicationPush(s.sub.channel, p));
        }
      }
      core().subscribing().joined(s.sub.channel, s.ns, s.info);
    });
  }

  /** {@code subscribed}: the core subscribe was made (and is left here); false when it failed before. */
  private void fail(Sub s, Throwable t, boolean subscribed) {
    subs.remove(s.pusherName);
    if (subscribed) {
      core().subscribing().leave(session.loop.hub, s.sub, s.ns, s.info);
    }
    Failure f = PusherErrors.failure(t);
    session.write(PusherEvents.subscriptionError(s.pusherName, f.name(), "Subscription failed",
        PusherErrors.status(f)));
  }

  void unsubscribe(String channel) {
    Sub s = channel == null ? null : subs.remove(channel);
    if (s != null) {
      core().subscribing().leave(session.loop.hub, s.sub, s.ns, s.info);
    }
  }

  void serverUnsubscribe(String switchboardChannel, int code, String reason) {
    String name = PusherChannels.pusherName(switchboardChannel);
    if (subs.containsKey(name)) {
      unsubscribe(name);
      session.write(PusherEvents.subscriptionError(name, "Unsubscribed", reason, code));
    }
  }

  /** Whether this connection asked for positions on a channel (by Pusher name). */
  boolean resumes(String channel) {
    Sub s = subs.get(channel);
    return s != null && s.resume != null;
  }

  boolean has(String switchboardChannel) {
    Sub s = subs.get(PusherChannels.pusherName(switchboardChannel));
    return s != null && s.sub.channel.equals(switchboardChannel);
  }

  void leaveAll() {
    for (Sub s : subs.values()) {
      core().subscribing().leave(session.loop.hub, s.sub, s.ns, s.info);
    }
    subs.clear();
  }

  /**
   * A member's connection joined or left a presence channel: whether to tell the client, which Pusher does
   * when a user's first connection arrives and when its last one leaves.
   */
  boolean memberEvent(String channel, String user, boolean added) {
    Sub s = subs.get(channel);
    if (s == null || s.members == null) {
      return false;
    }
    if (added) {
      return s.members.merge(user, 1, Integer::sum) == 1;
    }
    Integer n = s.members.get(user);
    if (n == null) {
      return false;
    }
    if (n <= 1) {
      s.members.remove(user);
      return true;
    }
    s.members.put(user, n - 1);
    return false;
  }

  /** A client-* event: only on a channel this connection is subscribed to; not sent back to it. */
  void clientEvent(String channel, String event, Object data) {
    Sub s = subs.get(channel);
    if (s == null || !s.sub.live()) {
      session.write(PusherEvents.error(PusherErrors.CLIENT_EVENT_REJECTED, "Not subscribed to " + channel));
      return;
    }
    Map<String, String> tags = new HashMap<>();
    tags.put(PusherCodec.TAG_EVENT, event);
    tags.put(PusherCodec.TAG_SOCKET, session.socketId);
    if (PusherChannels.isPresence(channel)) {
      tags.put(PusherCodec.TAG_USER, s.info.user());
    }
    byte[] bytes = Json.encode(data).getBytes(StandardCharsets.UTF_8);
    Future<?> f;
    try {
      f = core().publishing().byServer(s.sub.channel, s.ns, bytes, true, tags, null, false);
    } catch (CoreException e) {
      f = Future.failedFuture(e);
    }
    f.onSuccess(v -> session.loop.services.clientEvents().clientEvent(s.sub.channel, event, data, session.socketId,
        tags.get(PusherCodec.TAG_USER)));
    f.onFailure(t -> session.loop.context.runOnContext(v -> session.write(PusherEvents.error(
        PusherErrors.code(PusherErrors.failure(t)), "Client event not sent: " + PusherErrors.failure(t)))));
  }
}
