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

/**
 * {@code connect}: checks the token (invalid: close 3500; expired: error 109), then makes the server-side
 * subscriptions (the token's {@code channels} and the user's personal channel) and announces them in
 * {@code subs}, with recovery when the client asks for it there.
 */
final class ConnectCommand implements CommandHandler<ConnectRequest, ConnectResult> {
  @Override
  public Future<ConnectResult> handle(Session s, ConnectRequest q) {
    String token = q.token();
    Map<String, SubscribeRequest> subsReq = q.subs();
    if (token == null || token.isEmpty()) {
      if (!s.services.limits().allowAnonymous()) {
        throw new DisconnectException(DisconnectCode.BAD_REQUEST);
      }
      return establish(s, new ConnectClaims("", 0, null, List.of(), null), subsReq);
    }
    // Async only when a JWKS key must be fetched first; otherwise this completes at once.
    return s.services.tokens().verifyConnectAsync(token)
        .recover(t -> Future.failedFuture(t instanceof TokenException e && e.kind() == TokenException.Kind.EXPIRED
            ? new CoreException(Failure.TOKEN_EXPIRED)
            : new DisconnectException(DisconnectCode.INVALID_TOKEN)))
        .compose(claims -> establish(s, claims, subsReq));
  }

  private Future<ConnectResult> establish(Session s, ConnectClaims claims, Map<String, SubscribeRequest> subsReq) {
    if (s.state != Session.State.CONNECTING) {
      return Future.succeededFuture(ConnectResult.NONE); // closed while a JWKS key was fetched
    }
    s.user = claims.user();
    s.connInfo = claims.info();
    s.expireAt = claims.expireAt();
    List<String> tokenChannels = claims.channels() == null ? List.of() : claims.channels();
    s.connected();

    boolean expires = s.expireAt > 0;
    long ttl = expires ? Ttl.of(s.expireAt) : 0;
    long ping = s.services.limits().pingInterval().toSeconds();
    Set<String> serverSide = new LinkedHashSet<>(tokenChannels);
    ChannelConfig cc = s.services.channels();
    if (cc.subscribeToPersonal() && !s.user.isEmpty()) {
      serverSide.add(ChannelName.personal(cc.personalNamespace(), s.user));
    }
    if (serverSide.isEmpty()) {
      return Future.succeededFuture(emulated(s, new ConnectResult(s.id, NodeStatus.VERSION, expires, ttl, null, ping,
          true)));
    }
    // Pushes of these channels must not overtake the connect reply: hold them until it is written.
    s.holdPushes();
    List<Future<Void>> all = new ArrayList<>();
    // In the order the subscriptions complete, as the reply has always listed them.
    Map<String, SubscribeResult> subs = new LinkedHashMap<>();
    for (String channel : serverSide) {
      NamespaceOptions ns;
      try {
        ns = s.services.policy().resolve(channel);
      } catch (CoreException e) {
        continue; // a token naming an undefined namespace: skip that channel rather than refuse the user
      }
      if (!s.speaks(ns)) {
        continue; // a binary namespace and a JSON client: skipped likewise
      }
      SubscribeRequest recover = subsReq.get(channel);
      RecoveryRequest req = serverSideRequest(ns, recover);
      all.add(SubscribeCommand.subscribe(s, channel, ns, req, ns.forcePushJoinLeave() || ns.joinLeave(), null, 0)
          .map(r -> {
            subs.put(channel, r);
            return null;
          }));
    }
    return Future.all(all)
        .map(v -> emulated(s, new ConnectResult(s.id, NodeStatus.VERSION, expires, ttl, subs, ping, true)))
        .recover(t -> Future.failedFuture(new DisconnectException(DisconnectCode.INTERNAL)));
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
