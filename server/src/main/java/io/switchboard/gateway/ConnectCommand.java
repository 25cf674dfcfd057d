package io.switchboard.gateway;

import io.switchboard.ops.NodeStatus;
import io.switchboard.model.Failure;
import io.switchboard.auth.ConnectClaims;
import io.switchboard.auth.TokenException;
import io.switchboard.broker.RecoveryRequest;
import io.switchboard.channel.ChannelName;
import io.switchboard.config.ChannelConfig;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.protocol.DisconnectCode;
import io.switchboard.model.CoreException;
import io.vertx.core.Future;
import io.switchboard.protocol.ConnectRequest;
import io.switchboard.protocol.ConnectResult;
import io.switchboard.protocol.SubscribeRequest;
import io.switchboard.protocol.SubscribeResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code connect}: checks the token (invalid: close 3500; expired: error 109; anonymous, that is an empty
 * {@code sub}, while {@code client.allow_anonymous} is off: close 3507), then makes the server-side
 * subscriptions (the token's {@code channels} and the user's personal channel) and announces them in
 * {@code subs}, with recovery when the client asks for it there.
 */
final class ConnectCommand implements CommandHandler<ConnectRequest, ConnectResult> {
  private static final Logger LIFECYCLE = LoggerFactory.getLogger("io.switchboard.gateway.lifecycle");

  @Override
  public Future<ConnectResult> handle(Session s, ConnectRequest q) {
    String token = q.token();
    Map<String, SubscribeRequest> subsReq = q.subs();
    ProxyCalls.attach(s);
    s.transport.forgetRequestHeaders(); // what the proxies forward is copied: the rest is memory of an idle socket
    if (s.services.proxy().connects(token != null && !token.isEmpty())) {
      return ProxyConnect.connect(s, q.data()).compose(claims -> establish(s, claims, subsReq))
          .map(r -> ProxyConnect.reply(s, r));
    }
    if (token == null || token.isEmpty()) {
      if (!s.services.limits().allowAnonymous()) {
        throw new DisconnectException(DisconnectCode.BAD_REQUEST);
      }
      return establish(s, new ConnectClaims("", 0, null, List.of(), null), subsReq);
    }
    // Async only when a JWKS key must be fetched first; otherwise this completes at once.
    return s.services.tokens().verifyConnectAsync(token)
        .recover(t -> {
          // The client only sees 3500 or 109; why is for the operator (e.g. a secret too short for HS512).
          LIFECYCLE.debug("connect token refused client={}: {}", s.id, t.getMessage());
          return Future.failedFuture(t instanceof TokenException e && e.kind() == TokenException.Kind.EXPIRED
              ? new CoreException(Failure.TOKEN_EXPIRED)
              : new DisconnectException(DisconnectCode.INVALID_TOKEN));
        })
        .compose(claims -> {
          // An empty sub is an anonymous user: only when anonymous connections are allowed. Centrifugo refuses
          // such a token (disallow_anonymous_connection_tokens) with 3507 permission denied.
          if (claims.user().isEmpty() && !s.services.limits().allowAnonymous()) {
            return Future.failedFuture(new DisconnectException(DisconnectCode.PERMISSION_DENIED));
          }
          return establish(s, claims, subsReq);
        });
  }

  /**
   * All or nothing: the session becomes CONNECTED only once every server-side subscription is live. A channel
   * that cannot be subscribed (unknown namespace, bad name: its error, as Centrifugo answers a token naming an
   * unknown channel) or more of them than {@code client.max_subscriptions} (3505) refuse the connect before
   * anything is made; a subscription that then fails undoes the others (no presence, no subscription left)
   * and closes with 3004.
   */
  private Future<ConnectResult> establish(Session s, ConnectClaims claims, Map<String, SubscribeRequest> subsReq) {
    if (s.state != Session.State.CONNECTING) {
      return Future.succeededFuture(ConnectResult.NONE); // closed while a JWKS key was fetched
    }
    List<String> tokenChannels = claims.channels() == null ? List.of() : claims.channels();
    Set<String> serverSide = new LinkedHashSet<>(tokenChannels);
    ChannelConfig cc = s.services.channels();
    String personal = cc.subscribeToPersonal() && !claims.user().isEmpty()
        ? ChannelName.personal(cc.personalNamespace(), claims.user()) : null;
    if (personal != null) {
      serverSide.add(personal);
    }
    if (serverSide.size() > s.services.limits().maxSubscriptions()) {
      return Future.failedFuture(new DisconnectException(DisconnectCode.CHANNEL_LIMIT));
    }
    Map<String, NamespaceOptions> planned = new LinkedHashMap<>();
    for (String channel : serverSide) {
      NamespaceOptions ns;
      try {
        ns = s.services.policy().resolve(channel);
      } catch (CoreException e) {
        if (channel.equals(personal) && !tokenChannels.contains(channel)) {
          continue; // a user id that makes no valid channel name (spaces, non-ASCII): no personal channel
        }
        throw e; // a token naming a channel that does not exist: the connect fails with its error
      }
      if (s.speaks(ns)) {
        planned.put(channel, ns); // a binary namespace and a JSON client: skipped (docs/protocol.md)
      }
    }
    s.user = claims.user();
    s.connInfo = claims.info();
    s.expireAt = claims.expireAt();
    boolean expires = s.expireAt > 0;
    long ttl = expires ? Ttl.of(s.expireAt) : 0;
    long ping = s.services.limits().pingInterval().toSeconds();
    if (planned.isEmpty()) {
      s.connected();
      return Future.succeededFuture(emulated(s, new ConnectResult(s.id, NodeStatus.VERSION, expires, ttl, null, ping,
          true)));
    }
    // Pushes of these channels must not overtake the connect reply: hold them until it is written.
    s.holdPushes();
    List<Future<Void>> all = new ArrayList<>();
    // In the order the subscriptions complete, as the reply has always listed them.
    Map<String, SubscribeResult> subs = new LinkedHashMap<>();
    planned.forEach((channel, ns) -> {
      RecoveryRequest req = serverSideRequest(ns, subsReq.get(channel));
      var opts = s.proxy == null ? null : s.proxy.connectSubs.get(channel); // the connect proxy's subs options
      all.add(SubscribeCommand.subscribe(s, channel, ns, req, ns.forcePushJoinLeave() || ns.joinLeave(),
              opts == null ? null : opts.info(), opts == null ? 0 : opts.expireAt())
          .map(r -> {
            subs.put(channel, r);
            return null;
          }));
    });
    return Future.join(all).transform(ar -> {
      if (s.state != Session.State.CONNECTING) {
        return Future.succeededFuture(ConnectResult.NONE); // closed meanwhile: cleanup dropped the subscriptions
      }
      if (ar.failed()) {
        for (Session.ActiveSub a : new ArrayList<>(s.subs.values())) {
          s.dropSubscription(a); // leaves presence and the channels: nothing of a failed connect remains
        }
        return Future.failedFuture(new DisconnectException(DisconnectCode.INTERNAL));
      }
      s.connected();
      return Future.succeededFuture(emulated(s, new ConnectResult(s.id, NodeStatus.VERSION, expires, ttl, subs, ping,
          true)));
    });
  }

  /** On an emulated transport, the result names the session and this node for the client's emulation requests. */
  private static ConnectResult emulated(Session s, ConnectResult r) {
    String session = s.transport.session();
    return session == null ? r : r.withSession(session, s.services.status().id());
  }

  /** A server-side subscription's recovery, as the client asked for it in connect's {@code subs}. */
  private static RecoveryRequest serverSideRequest(NamespaceOptions ns, SubscribeRequest recover) {
    if (recover == null) {
      return RecoveryRequest.serverSide(ns, false, 0, null);
    }
    return RecoveryRequest.serverSide(ns, recover.recover(), recover.offset(), recover.epoch());
  }
}
