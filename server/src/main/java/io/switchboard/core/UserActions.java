package io.switchboard.core;

import io.switchboard.broker.Hub;
import io.switchboard.broker.LoopHub;
import io.switchboard.broker.RecoveryRequest;
import io.switchboard.broker.Subscriber;
import io.switchboard.channel.ChannelPolicy;
import io.switchboard.cluster.Peers;
import io.switchboard.config.NamespaceOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Server-initiated actions on the connections of a user, wherever they are in the cluster (the server API's
 * subscribe, unsubscribe, disconnect and refresh; read sync between devices). Connections are confined to
 * their event loop, so each action runs on every loop of this node, on that loop, and every other node is
 * told to do the same. The returned futures complete once every loop here has applied the action (on
 * whichever thread finished last: callers hop back to their own context).
 */
public final class UserActions {
  /** Unsubscribe push code of a server API unsubscribe; below 2500, so the client stays unsubscribed. */
  public static final int SERVER_UNSUBSCRIBE = 2000;

  private final Hub hub;
  private final Peers peers;
  private final ChannelPolicy policy;

  public UserActions(Hub hub, Peers peers, ChannelPolicy policy) {
    this.hub = hub;
    this.peers = peers;
    this.policy = policy;
  }

  /**
   * Server-side subscribes the user's connections (or the one {@code client}) to {@code channel}; those
   * already subscribed are left as they are. {@code recover} asks for recovery from its offset and epoch.
   */
  public Future<Void> subscribe(String user, String client, String channel, NamespaceOptions ns, Since recover) {
    Future<Void> here = subscribeHere(user, client, channel, ns, recover);
    JsonObject told = action("subscribe", user, client).put("channel", channel);
    if (recover != null) {
      told.put("recover_since", new JsonObject().put("offset", recover.offset()).put("epoch", recover.epoch()));
    }
    peers.tell(told);
    return here;
  }

  /** A stream position to recover from. */
  public record Since(long offset, String epoch) {}

  private Future<Void> subscribeHere(String user, String client, String channel, NamespaceOptions ns, Since since) {
    RecoveryRequest req = RecoveryRequest.serverSide(ns, since != null,
        since == null ? 0 : since.offset(), since == null ? "" : since.epoch());
    return forConnections(user, client, c -> c.hasSubscription(channel)
        ? Future.succeededFuture() : c.serverSubscribe(channel, ns, req));
  }

  /** Drops the subscription; the connection gets an {@code unsubscribe} push with code 2000. */
  public Future<Void> unsubscribe(String user, String client, String channel) {
    peers.tell(action("unsubscribe", user, client).put("channel", channel));
    return unsubscribeHere(user, client, channel);
  }

  private Future<Void> unsubscribeHere(String user, String client, String channel) {
    return forConnections(user, client, c -> {
      c.serverUnsubscribe(channel, SERVER_UNSUBSCRIBE, "server unsubscribe");
      return Future.succeededFuture();
    });
  }

  /** Closes the connections with {@code code} and {@code reason} (the caller checked both). */
  public Future<Void> disconnect(String user, String client, int code, String reason) {
    peers.tell(action("disconnect", user, client).put("code", code).put("reason", reason));
    return disconnectHere(user, client, code, reason);
  }

  private Future<Void> disconnectHere(String user, String client, int code, String reason) {
    return forConnections(user, client, c -> {
      c.close(code, reason);
      return Future.succeededFuture(); // not waiting for the close handshake of a possibly stuck peer
    });
  }

  /**
   * Sets when the connections expire ({@code expireAt} epoch seconds, 0 = never), or, when {@code expired},
   * closes them at once (the client reconnects with a fresh token).
   */
  public Future<Void> refresh(String user, String client, long expireAt, boolean expired) {
    peers.tell(action("refresh", user, client).put("expire_at", expireAt).put("expired", expired));
    return refreshHere(user, client, expireAt, expired);
  }

  private Future<Void> refreshHere(String user, String client, long expireAt, boolean expired) {
    return forConnections(user, client, c -> {
      if (expired) {
        c.expireNow();
      } else {
        c.expireAt(expireAt);
      }
      return Future.succeededFuture();
    });
  }

  /** Sends an async {@code message} push to every connection of {@code user} except {@code exceptClient}. */
  public void messageOthers(String user, String exceptClient, Object data) {
    messageHere(user, exceptClient, data);
    peers.tell(action("message", user, null).put("except", exceptClient).put("data", data));
  }

  private void messageHere(String user, String exceptClient, Object data) {
    hub.onEachLoop(loop -> loop.forUser(user, s -> {
      if (s instanceof Connection c && !c.clientId().equals(exceptClient)) {
        c.message(data);
      }
    }));
  }

  /** Applies, to this node's connections, what another node's API call or RPC told every node. */
  public void install() {
    peers.onTold(a -> {
      String user = a.getString("user");
      String client = a.getString("client");
      switch (a.getString("op", "")) {
        case "subscribe" -> {
          String channel = a.getString("channel");
          JsonObject since = a.getJsonObject("recover_since");
          subscribeHere(user, client, channel, policy.resolve(channel),
              since == null ? null : new Since(since.getLong("offset", 0L), since.getString("epoch", "")));
        }
        case "unsubscribe" -> unsubscribeHere(user, client, a.getString("channel"));
        case "disconnect" -> disconnectHere(user, client, a.getInteger("code"), a.getString("reason"));
        case "refresh" -> refreshHere(user, client, a.getLong("expire_at", 0L), a.getBoolean("expired", false));
        case "message" -> messageHere(user, a.getString("except"), a.getValue("data"));
        default -> { }
      }
    });
  }

  private static JsonObject action(String op, String user, String client) {
    return new JsonObject().put("op", op).put("user", user).put("client", client);
  }

  /** Runs {@code action} for each connected connection of {@code user} (only {@code client}, if given). */
  private Future<Void> forConnections(String user, String client, Function<Connection, Future<?>> action) {
    List<Future<?>> all = new ArrayList<>();
    for (LoopHub loop : hub.loops()) {
      Promise<Void> p = Promise.promise();
      loop.context().runOnContext(v -> {
        try {
          List<Future<?>> done = new ArrayList<>();
          for (Subscriber sub : loop.clientsOf(user)) {
            // The loop's registry holds the connections of every front end; each is a Connection.
            if (sub instanceof Connection c && c.isConnected()
                && (client == null || client.isEmpty() || client.equals(c.clientId()))) {
              done.add(action.apply(c));
            }
          }
          Future.all(done).<Void>mapEmpty().onComplete(p);
        } catch (RuntimeException e) {
          p.fail(e);
        }
      });
      all.add(p.future());
    }
    return Future.all(all).mapEmpty();
  }
}
