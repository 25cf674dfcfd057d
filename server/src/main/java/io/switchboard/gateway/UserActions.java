package io.switchboard.gateway;

import io.switchboard.Node;
import io.switchboard.broker.LoopHub;
import io.switchboard.broker.RecoveryRequest;
import io.switchboard.broker.Subscriber;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.protocol.DisconnectCode;
import io.switchboard.codec.json.JsonCodec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Server-initiated actions on the connections of a user, wherever they are on this node (the server API's
 * subscribe, unsubscribe, disconnect and refresh). Sessions are confined to their event loop, so each action
 * runs on every loop, on that loop, against that loop's sessions of the user. The returned future completes
 * once every loop has applied it (on whichever thread finished last: callers hop back to their own context).
 */
public final class UserActions {
  /** Unsubscribe push code of a server API unsubscribe; below 2500, so the client stays unsubscribed. */
  public static final int SERVER_UNSUBSCRIBE = 2000;

  private UserActions() {}

  /**
   * Server-side subscribes the user's connections (or the one {@code client}) to {@code channel}. Each gets a
   * {@code subscribe} push with its SubscribeResult, before any publication of the channel. Connections
   * already subscribed are left as they are. {@code recoverSince} ({offset, epoch}) asks for recovery.
   */
  public static Future<Void> subscribe(Node node, String user, String client, String channel, NamespaceOptions ns,
      JsonObject recoverSince) {
    Future<Void> here = subscribeHere(node, user, client, channel, ns, recoverSince);
    node.peers.tell(action("subscribe", user, client).put("channel", channel).put("recover_since", recoverSince));
    return here;
  }

  private static Future<Void> subscribeHere(Node node, String user, String client, String channel,
      NamespaceOptions ns, JsonObject recoverSince) {
    JsonObject recover = recoverSince == null ? null : recoverSince.copy().put("recover", true);
    // Parsed here, on the caller's thread, so that a bad recover_since fails the call instead of a loop task.
    RecoveryRequest req = ConnectCommand.serverSideRequest(ns, recover);
    boolean joinLeave = ns.forcePushJoinLeave() || ns.joinLeave();
    return forSessions(node, user, client, s -> {
      if (s.subs.containsKey(channel)) {
        return Future.succeededFuture();
      }
      return SubscribeCommand.subscribe(s, channel, ns, req, joinLeave, null, 0)
          // Runs in the turn the subscription went live, so the push precedes the channel's publications.
          // send() (not write) keeps it behind a connect reply still being built. No push when the client
          // left the channel (or closed) while its position was being read: subscribe answers {} then.
          .onSuccess(result -> {
            if (s.isSubscribed(channel)) {
              s.deliver(JsonCodec.subscribePush(channel, result));
            }
          });
    });
  }

  /** Drops the subscription; the connection gets an {@code unsubscribe} push with code 2000. */
  public static Future<Void> unsubscribe(Node node, String user, String client, String channel) {
    node.peers.tell(action("unsubscribe", user, client).put("channel", channel));
    return unsubscribeHere(node, user, client, channel);
  }

  private static Future<Void> unsubscribeHere(Node node, String user, String client, String channel) {
    return forSessions(node, user, client, s -> {
      s.serverUnsubscribe(channel, SERVER_UNSUBSCRIBE, "server unsubscribe");
      return Future.succeededFuture();
    });
  }

  /** Closes the connections with {@code code} and {@code reason} (the caller checked both). */
  public static Future<Void> disconnect(Node node, String user, String client, int code, String reason) {
    node.peers.tell(action("disconnect", user, client).put("code", code).put("reason", reason));
    return disconnectHere(node, user, client, code, reason);
  }

  private static Future<Void> disconnectHere(Node node, String user, String client, int code, String reason) {
    return forSessions(node, user, client, s -> {
      s.close((short) code, reason);
      return Future.succeededFuture(); // not waiting for the close handshake of a possibly stuck peer
    });
  }

  /**
   * Sets when the connections expire ({@code expireAt} epoch seconds, 0 = never), or, when {@code expired},
   * closes them at once with 3005 (the client reconnects with a fresh token).
   */
  public static Future<Void> refresh(Node node, String user, String client, long expireAt, boolean expired) {
    node.peers.tell(action("refresh", user, client).put("expire_at", expireAt).put("expired", expired));
    return refreshHere(node, user, client, expireAt, expired);
  }

  private static Future<Void> refreshHere(Node node, String user, String client, long expireAt, boolean expired) {
    return forSessions(node, user, client, s -> {
      if (expired) {
        s.disconnect(DisconnectCode.CONNECTION_EXPIRED);
      } else {
        s.expireAt = expireAt;
      }
      return Future.succeededFuture();
    });
  }

  /** Sends an async {@code message} push to every connection of {@code user} except {@code exceptClient}. */
  public static void messageOthers(Node node, String user, String exceptClient, Object data) {
    messageHere(node, user, exceptClient, data);
    node.peers.tell(action("message", user, null).put("except", exceptClient).put("data", data));
  }

  private static void messageHere(Node node, String user, String exceptClient, Object data) {
    byte[] json = io.vertx.core.json.Json.encode(data).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    node.hub.onEachLoop(loop -> loop.forUser(user, s -> {
      if (!s.clientId().equals(exceptClient)) {
        s.deliver(s.codec().messagePush(json, true));
      }
    }));
  }

  /** Applies, to this node's connections, what another node's API call or RPC told every node. */
  public static void install(Node node) {
    node.peers.onTold(a -> {
      String user = a.getString("user");
      String client = a.getString("client");
      switch (a.getString("op", "")) {
        case "subscribe" -> {
          String channel = a.getString("channel");
          subscribeHere(node, user, client, channel, node.rules.resolve(channel), a.getJsonObject("recover_since"));
        }
        case "unsubscribe" -> unsubscribeHere(node, user, client, a.getString("channel"));
        case "disconnect" -> disconnectHere(node, user, client, a.getInteger("code"), a.getString("reason"));
        case "refresh" -> refreshHere(node, user, client, a.getLong("expire_at", 0L), a.getBoolean("expired", false));
        case "message" -> messageHere(node, user, a.getString("except"), a.getValue("data"));
        default -> { }
      }
    });
  }

  private static JsonObject action(String op, String user, String client) {
    return new JsonObject().put("op", op).put("user", user).put("client", client);
  }

  /** Runs {@code action} for each connected session of {@code user} (only {@code client}, if given). */
  private static Future<Void> forSessions(Node node, String user, String client,
      Function<Session, Future<?>> action) {
    return onEachLoop(node, loop -> {
      List<Future<?>> done = new ArrayList<>();
      for (Subscriber sub : loop.clientsOf(user)) {
        if (sub instanceof Session s && s.state == Session.State.CONNECTED
            && (client == null || client.isEmpty() || client.equals(s.id))) {
          done.add(action.apply(s));
        }
      }
      return Future.all(done).mapEmpty();
    });
  }

  private static Future<Void> onEachLoop(Node node, Function<LoopHub, Future<?>> action) {
    List<Future<?>> all = new ArrayList<>();
    for (LoopHub loop : node.hub.loops()) {
      Promise<Void> p = Promise.promise();
      loop.context().runOnContext(v -> {
        try {
          action.apply(loop).<Void>mapEmpty().onComplete(p);
        } catch (RuntimeException e) {
          p.fail(e);
        }
      });
      all.add(p.future());
    }
    return Future.all(all).mapEmpty();
  }
}
